"""Tenants (the businesses served), their teams and users, and the business calendar.

A BPO runs several tenants on one Pasokh; every row of tenant data carries its tenant and
is read only through the access chokepoints in each app's ``access.py``.
"""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from pasokh.persian.calendar import BusinessWeek


def _default_business_week() -> dict[str, object]:
    return BusinessWeek.iranian_default().to_dict()


def _new_public_key() -> str:
    return "pk_" + secrets.token_urlsafe(18)


class Tenant(models.Model):
    class Calendar(models.TextChoices):
        JALALI = "jalali", _("Jalali (Solar Hijri)")
        GREGORIAN = "gregorian", _("Gregorian")

    class PriceUnit(models.TextChoices):
        TOMAN = "toman", _("Toman")
        RIAL = "rial", _("Rial")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    default_language = models.CharField(
        _("default language"),
        max_length=8,
        default="fa",
        choices=[("fa", "فارسی"), ("en", "English")],
    )
    calendar = models.CharField(
        _("calendar"), max_length=16, choices=Calendar.choices, default=Calendar.JALALI
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Tehran")
    business_week = models.JSONField(
        _("business week"),
        default=_default_business_week,
        help_text=_("Opening hours per weekday; Saturday starts the week, Friday is closed."),
    )
    price_unit = models.CharField(
        _("price unit"), max_length=8, choices=PriceUnit.choices, default=PriceUnit.TOMAN
    )
    public_key = models.CharField(
        _("public key"), max_length=64, unique=True, default=_new_public_key
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            BusinessWeek.from_dict(self.business_week)
        except ValueError as error:
            raise ValidationError({"business_week": str(error)}) from error


class TenantOwned(models.Model):
    """Base of every model that holds one tenant's data."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, verbose_name=_("tenant"))

    class Meta:
        abstract = True


class Team(TenantOwned):
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ("name",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tenant", "name"], name="team_name_unique_per_tenant")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    SUPERVISOR = "supervisor", _("Supervisor")
    AGENT = "agent", _("Agent")


class User(AbstractUser):
    """A person who signs in: an agent, a supervisor or an admin of one tenant.

    Platform operators (``is_superuser`` without a tenant) manage tenants themselves.
    """

    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("tenant"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.AGENT)
    teams = models.ManyToManyField(
        Team, blank=True, related_name="members", verbose_name=_("teams")
    )
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        default="",
        choices=[("fa", "فارسی"), ("en", "English")],
    )
    display_name = models.CharField(_("display name"), max_length=150, blank=True)

    objects: ClassVar[UserManager[User]] = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(tenant__isnull=False) | models.Q(is_superuser=True),
                name="user_has_tenant_unless_platform_superuser",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_tenant_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_supervisor_or_admin(self) -> bool:
        return self.role in {Role.ADMIN, Role.SUPERVISOR}

    @property
    def preferred_language(self) -> str:
        if self.language:
            return self.language
        return self.tenant.default_language if self.tenant else "fa"


class Holiday(TenantOwned):
    """A closed (or open) day of a tenant's calendar; seeded from official holidays, editable."""

    date = models.DateField(_("date"))
    name_fa = models.CharField(_("name (Persian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    closed = models.BooleanField(_("closed"), default=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ("date",)
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["tenant", "date", "name_fa"], name="holiday_unique_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name_fa}"


class ApiKey(TenantOwned):
    """A key for integrations; it acts as its user (and that user's role) inside one tenant.

    Only a SHA-256 digest is stored; the key itself is shown once, when it is created.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_keys", verbose_name=_("acts as")
    )
    name = models.CharField(_("name"), max_length=120)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
