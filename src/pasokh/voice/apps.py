from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "pasokh.voice"
    verbose_name = _("Voice")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from pasokh.router.models import Queue
        from pasokh.tenancy.calendars import on_calendar_change
        from pasokh.tenancy.models import Holiday, Tenant
        from pasokh.voice import timeline  # noqa: F401  (registers the contact timeline provider)
        from pasokh.voice.config_cache import configuration_changed
        from pasokh.voice.models import IvrChoice, IvrMenu, PhoneNumber

        for model in (PhoneNumber, IvrMenu, IvrChoice, Queue, Tenant, Holiday):
            for signal in (post_save, post_delete):
                signal.connect(configuration_changed, sender=model, dispatch_uid="voice-config")
        on_calendar_change(configuration_changed)
