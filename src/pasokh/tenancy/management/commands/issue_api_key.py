from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pasokh.tenancy.api_keys import do_issue_api_key
from pasokh.tenancy.models import User


class Command(BaseCommand):
    help = "Issue an API key that acts as USERNAME; the key is printed once and never stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="integration")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], tenant__isnull=False).first()
        if user is None:
            raise CommandError("No tenant user with that username")
        _, key = do_issue_api_key(user=user, name=options["name"])
        self.stdout.write(key)
