"""What supervisors prepare so agents answer fast: canned answers, guided scripts, articles."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pasokh.contacts.models import Contact
from pasokh.interactions.models import Interaction
from pasokh.router.models import Queue
from pasokh.tenancy.models import Team, TenantOwned


class CannedAnswer(TenantOwned):
    """A ready reply with a shortcut (``/salam``) and placeholders, for a team, a queue or all."""

    title = models.CharField(_("title"), max_length=200)
    shortcut = models.CharField(_("shortcut"), max_length=40)
    body = models.TextField(_("text"), max_length=5000)
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("team")
    )
    queue = models.ForeignKey(
        Queue, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("queue")
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("canned answer")
        verbose_name_plural = _("canned answers")
        ordering = ("shortcut",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "shortcut"], name="canned_shortcut_unique")
        ]

    def __str__(self) -> str:
        return f"{self.shortcut} {self.title}"


class Script(TenantOwned):
    """A guided question-and-answer form; its questions live in published versions."""

    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)
    queue = models.ForeignKey(
        Queue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("queue"),
        help_text=_("Offered first in chats of this queue; empty for every queue."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    current_version = models.ForeignKey(
        "ScriptVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )

    class Meta:
        verbose_name = _("guided script")
        verbose_name_plural = _("guided scripts")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class ScriptVersion(TenantOwned):
    """One published, never-edited tree of questions; runs point at the version they used."""

    script = models.ForeignKey(Script, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("questions"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("script version")
        verbose_name_plural = _("script versions")
        ordering = ("script", "-number")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["script", "number"], name="script_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.script.name} v{self.number}"


class ScriptRun(TenantOwned):
    """An agent's answers to one script version during one interaction."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    version = models.ForeignKey(
        ScriptVersion, on_delete=models.PROTECT, related_name="runs", verbose_name=_("version")
    )
    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="script_runs",
        verbose_name=_("interaction"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="script_runs",
        verbose_name=_("contact"),
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("agent")
    )
    answers = models.JSONField(_("answers"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("script run")
        verbose_name_plural = _("script runs")
        ordering = ("-started_at",)

    def __str__(self) -> str:
        return f"{self.version} · {self.started_at:%Y-%m-%d}"


class ArticleCategory(TenantOwned):
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("article category")
        verbose_name_plural = _("article categories")
        ordering = ("name",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "name"], name="article_category_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Article(TenantOwned):
    """A knowledge-base article; its text lives in versions, the newest is current."""

    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Internal (staff only)")
        PUBLIC = "public", _("Public")

    category = models.ForeignKey(
        ArticleCategory,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("category"),
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    current_version = models.ForeignKey(
        "ArticleVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ("-updated_at",)

    def __str__(self) -> str:
        return self.current_version.title if self.current_version else f"#{self.pk}"


class ArticleVersion(TenantOwned):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), max_length=50000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("author")
    )
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ("article", "-number")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"


class ArticleAttachment(TenantOwned):
    """A file kept in the database (small, checked by content) and served through the chokepoint."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ("filename",)

    def __str__(self) -> str:
        return self.filename
