from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "pasokh.knowledge"
    verbose_name = _("Knowledge")

    def ready(self) -> None:
        from pasokh.knowledge import timeline  # noqa: F401  (registers the contact timeline provider)
