"""Import a CSV/XLSX contact list into a tenant from the terminal, with a progress bar."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pasokh.contacts.actions import do_create_contact_import, do_start_contact_import
from pasokh.contacts.importing import UnreadableFile, guess_mapping, preview
from pasokh.contacts.models import ContactImport, CustomField
from pasokh.tenancy.models import Role, Tenant, User

BAR_WIDTH = 40


def _bar(done: int, total: int, started: float) -> str:
    share = done / total if total else 1.0
    filled = int(BAR_WIDTH * share)
    elapsed = time.monotonic() - started
    rate = done / elapsed if elapsed else 0.0
    return (
        f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {share:6.1%} "
        f"{done}/{total} rows  {rate:,.0f} rows/s  {elapsed:5.1f}s"
    )


class Command(BaseCommand):
    help = "Import contacts from a CSV/XLSX file (columns guessed from the header)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path")
        parser.add_argument("--tenant", required=True, help="tenant slug")
        parser.add_argument(
            "--on-duplicate", choices=[c.value for c in ContactImport.OnDuplicate], default="merge"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = Tenant.objects.filter(slug=options["tenant"]).first()
        if tenant is None:
            raise CommandError(f"no tenant {options['tenant']!r}")
        user = User.objects.filter(tenant=tenant, role=Role.ADMIN, is_active=True).first()
        if user is None:
            raise CommandError("the tenant has no active admin to run the import as")
        path = Path(options["path"])
        data = path.read_bytes()
        try:
            contact_import = do_create_contact_import(user, path.name, data)
            header, _rows, _total = preview(path.name, data)
        except UnreadableFile as error:
            raise CommandError(str(error)) from error
        mapping = guess_mapping(header, list(CustomField.objects.filter(tenant=tenant)))
        shown = {header[int(i)]: target for i, target in mapping.items() if target}
        self.stdout.write(f"columns: {shown}")
        started = time.monotonic()

        def progress(state: ContactImport) -> None:
            sys.stdout.write(_bar(state.processed, state.total, started))
            sys.stdout.flush()

        do_start_contact_import(
            user, contact_import, mapping=mapping, background=False, progress=progress
        )
        contact_import.refresh_from_db()
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"\n{contact_import.processed} rows in {elapsed:.1f}s: "
            f"{contact_import.created_count} created, {contact_import.merged_count} merged, "
            f"{contact_import.skipped_count} reported"
        )
