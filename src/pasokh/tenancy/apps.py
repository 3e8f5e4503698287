from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenancyConfig(AppConfig):
    name = "pasokh.tenancy"
    verbose_name = _("Tenants and users")

    def ready(self) -> None:
        from pasokh.tenancy import access  # noqa: F401  (registers the role rules)
