from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "pasokh.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from pasokh.audit import access, receivers  # noqa: F401  (receivers and role rules)
