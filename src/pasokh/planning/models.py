"""Simulation runs: a what-if scenario, its progress while it runs, and its result."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pasokh.tenancy.models import TenantOwned


class SimulationRun(TenantOwned):
    """One what-if simulation, run in the background by :mod:`pasokh.planning.jobs`.

    The row is the source of truth: the worker thread writes progress, the result or a
    readable error into it, and the run page polls it. ``worker`` names the process that
    owns a running run, so a run left behind by a dead process can be recognised.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("name"), max_length=120)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("author"),
    )
    scenario = models.JSONField(_("scenario"))
    replications = models.PositiveSmallIntegerField(_("replications"), default=5)
    seed = models.PositiveIntegerField(_("seed"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.FloatField(_("progress"), default=0.0)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("simulation run")
        verbose_name_plural = _("simulation runs")
        ordering = ("-created_at", "-id")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(progress__gte=0, progress__lte=1),
                name="simulation_progress_between_0_and_1",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}
