from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContactsConfig(AppConfig):
    name = "pasokh.contacts"
    verbose_name = _("Contacts")

    def ready(self) -> None:
        from pasokh.contacts import (
            access,  # noqa: F401  (registers the role rules)
            timeline_providers,  # noqa: F401  (registers the sources)
        )
