from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "pasokh.voice"
    verbose_name = _("Voice")

    def ready(self) -> None:
        from pasokh.voice import timeline  # noqa: F401  (registers the contact timeline provider)
