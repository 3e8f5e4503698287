from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RouterConfig(AppConfig):
    name = "pasokh.router"
    label = "router"
    verbose_name = _("Routing")
