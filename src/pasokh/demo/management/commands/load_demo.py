from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pasokh.demo.builder import ADMIN, DEMO_PASSWORD, STAFF, SUPERVISORS, build_demo


class Command(BaseCommand):
    help = "Load the Persian demo business (safe to run again) and print how to sign in."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = build_demo()
        state = "created" if summary.created else "already there"
        self.stdout.write(
            f"Demo tenant «{summary.tenant.name}» {state}: {summary.users} users, "
            f"{summary.customers} customers, {summary.interactions} interactions."
        )
        self.stdout.write(
            "Sign in at http://127.0.0.1:8000/ with password " + DEMO_PASSWORD + " as:"
        )
        self.stdout.write(f"  admin       {ADMIN[0]}")
        self.stdout.write(f"  supervisor  {SUPERVISORS[0][0]}, {SUPERVISORS[1][0]}")
        self.stdout.write(f"  agent       {STAFF[0][0]} (… {STAFF[-1][0]})")
