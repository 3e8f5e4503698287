"""Customers (contacts) and the identities they reach the business with."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pasokh.persian.normalize import search_key
from pasokh.tenancy.models import TenantOwned


class Contact(TenantOwned):
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    company = models.CharField(_("company"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=8, default="fa")
    tags = models.JSONField(_("tags"), default=list, blank=True)
    do_not_call = models.BooleanField(_("do not call"), default=False)
    marketing_consent = models.BooleanField(_("marketing consent"), default=False)
    search_text = models.TextField(editable=False, blank=True, help_text="Normalized for search")
    # The folded full name (search_key), so "علي رضايي" and "علی رضایی" are found as duplicates.
    name_key = models.CharField(max_length=201, editable=False, blank=True)
    custom_fields = models.JSONField(_("custom fields"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ("last_name", "first_name")
        indexes: ClassVar = [
            models.Index(fields=["tenant", "last_name"], name="contact_tenant_name"),
            models.Index(fields=["tenant", "name_key"], name="contact_tenant_name_key"),
        ]

    def __str__(self) -> str:
        return self.full_name or str(_("Unknown contact"))

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def refresh_search_text(self) -> None:
        self.search_text = search_key(" ".join([self.first_name, self.last_name, self.company]))
        self.name_key = search_key(self.full_name)[:201]

    def save(self, *args: object, **kwargs: object) -> None:
        self.refresh_search_text()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ContactIdentity(TenantOwned):
    """A phone (E.164), e-mail, chat visitor or messenger id that belongs to a contact."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        CHAT = "chat", _("Web chat visitor")
        MESSENGER = "messenger", _("Messenger")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="identities")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=254)
    is_primary = models.BooleanField(_("primary"), default=False)

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["tenant", "kind", "value"], name="identity_unique_per_tenant"
            )
        ]

    def __str__(self) -> str:
        return self.value


class CustomField(TenantOwned):
    """A field a tenant adds to its contacts (customer number, city, birthday …)."""

    class Type(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        CHOICE = "choice", _("Choice")
        DATE = "date", _("Date")

    key = models.SlugField(_("key"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    type = models.CharField(_("type"), max_length=8, choices=Type.choices, default=Type.TEXT)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        ordering = ("position", "label")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "key"], name="custom_field_key_per_tenant")
        ]

    def __str__(self) -> str:
        return self.label


class ContactImport(TenantOwned):
    """One upload of a CSV/XLSX contact list, processed in the background in batches."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting for column mapping")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    class OnDuplicate(models.TextChoices):
        MERGE = "merge", _("Merge into the existing contact")
        SKIP = "skip", _("Skip the row")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name=_("by")
    )
    filename = models.CharField(_("file"), max_length=200)
    source = models.BinaryField(editable=False)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    on_duplicate = models.CharField(
        _("duplicates"), max_length=8, choices=OnDuplicate.choices, default=OnDuplicate.MERGE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    merged_count = models.PositiveIntegerField(_("merged"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact import")
        verbose_name_plural = _("contact imports")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, round(100 * self.processed / self.total))
