from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "pasokh.orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        from pasokh.orders import timeline  # noqa: F401  (registers the contact timeline provider)
