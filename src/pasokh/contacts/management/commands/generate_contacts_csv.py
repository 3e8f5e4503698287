"""Write a large, believable Persian contact list (for the import benchmark)."""

from __future__ import annotations

import csv
import random
from typing import Any

from django.core.management.base import BaseCommand

FIRST = [
    "علی",
    "محمد",
    "رضا",
    "حسین",
    "مهدی",
    "امیر",
    "سارا",
    "مریم",
    "زهرا",
    "فاطمه",
    "نرگس",
    "لیلا",
    "کاوه",
    "آرش",
    "نیما",
    "پریا",
    "مینا",
]
LAST = [
    "رضایی",
    "محمدی",
    "کریمی",
    "احمدی",
    "حسینی",
    "موسوی",
    "صالحی",
    "قاسمی",
    "یوسفی",
    "نادری",
    "امامی",
    "فرجی",
    "صدری",
]
COMPANIES = ["", "", "نوین", "پارس‌تک", "آوا", "رایان"]
CITIES = ["تهران", "اصفهان", "شیراز", "مشهد", "تبریز"]


class Command(BaseCommand):
    help = "Write N contact rows (with a few bad ones, like real lists) to a CSV file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path")
        parser.add_argument("--rows", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1405)
        parser.add_argument("--bad-every", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(options["seed"])  # noqa: S311 - reproducible test data, not secrets
        with open(options["path"], "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["نام", "نام خانوادگی", "موبایل", "ایمیل", "شرکت", "برچسب", "شهر"])
            for index in range(options["rows"]):
                phone = f"09{rng.choice('1239')}{index:08d}"
                if options["bad_every"] and index % options["bad_every"] == 7:
                    phone = "0912"  # a bad row, as every real list has
                email = f"user{index}@example.com" if rng.random() < 0.3 else ""
                writer.writerow(
                    [
                        rng.choice(FIRST),
                        rng.choice(LAST),
                        phone,
                        email,
                        rng.choice(COMPANIES),
                        "نمایشگاه" if rng.random() < 0.2 else "",
                        rng.choice(CITIES),
                    ]
                )
        self.stdout.write(f"wrote {options['rows']} rows to {options['path']}")
