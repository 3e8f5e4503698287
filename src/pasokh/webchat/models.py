"""The web chat channel of a tenant: the widget's settings and its entry points (topics)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from pasokh.router.models import Queue
from pasokh.tenancy.models import TenantOwned

DEFAULT_MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024


class ChatWidget(TenantOwned):
    """One per tenant: where the widget may run and what customers may send."""

    allowed_origins = models.JSONField(
        _("allowed origins"),
        default=list,
        blank=True,
        help_text=_("The websites that may embed the widget, e.g. https://shop.example.ir"),
    )
    max_attachment_bytes = models.PositiveIntegerField(
        _("largest attachment (bytes)"), default=DEFAULT_MAX_ATTACHMENT_BYTES
    )
    is_enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("chat widget")
        verbose_name_plural = _("chat widgets")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant"], name="one_chat_widget_per_tenant")
        ]

    def __str__(self) -> str:
        return str(self.tenant)


class EntryPoint(TenantOwned):
    """A topic the customer picks before chatting ("technical support"), and its queue."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name (Persian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, verbose_name=_("queue"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("chat entry point")
        verbose_name_plural = _("chat entry points")
        ordering = ("position", "id")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "code"], name="entry_point_unique_per_tenant")
        ]

    def __str__(self) -> str:
        return self.name

    def label(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name
