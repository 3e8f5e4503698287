"""Persian names and Iranian numbers for believable demo people."""

from __future__ import annotations

import random

FIRST_NAMES_MALE = (
    "علی",
    "محمد",
    "حسین",
    "رضا",
    "مهدی",
    "امیر",
    "حمید",
    "سعید",
    "مجید",
    "کاوه",
    "بهرام",
    "آرش",
    "پویا",
    "فرهاد",
    "نیما",
    "سینا",
    "مسعود",
    "جواد",
    "یاسر",
    "بابک",
)
FIRST_NAMES_FEMALE = (
    "مریم",
    "زهرا",
    "فاطمه",
    "سارا",
    "نرگس",
    "لیلا",
    "مینا",
    "پریسا",
    "شیرین",
    "الهام",
    "نگار",
    "آزاده",
    "سمیرا",
    "مهسا",
    "هانیه",
    "یاسمن",
    "نازنین",
    "ترانه",
    "رویا",
    "بهاره",
)
LAST_NAMES = (
    "احمدی",
    "رضایی",
    "محمدی",
    "حسینی",
    "کریمی",
    "موسوی",
    "جعفری",
    "صادقی",
    "رحیمی",
    "نوری",
    "قاسمی",
    "کاظمی",
    "هاشمی",
    "عباسی",
    "اکبری",
    "طاهری",
    "شریفی",
    "زمانی",
    "فراهانی",
    "تهرانی",
    "اصفهانی",
    "شیرازی",
    "تبریزی",
    "یزدی",
    "کرمانی",
    "رستمی",
    "بهرامی",
    "سلطانی",
    "نجفی",
    "امینی",
)
MOBILE_PREFIXES = ("0912", "0935", "0919", "0901", "0936", "0910", "0921", "0938", "0990")
COMPANIES = ("", "", "", "فروشگاه آفتاب", "شرکت پارس‌تک", "کافه نارنج", "دفتر فنی البرز")
EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "chmail.ir", "outlook.com")
LATIN = {
    "علی": "ali",
    "محمد": "mohammad",
    "حسین": "hossein",
    "رضا": "reza",
    "مهدی": "mahdi",
    "امیر": "amir",
    "مریم": "maryam",
    "زهرا": "zahra",
    "سارا": "sara",
    "نگار": "negar",
}


def person_name(rng: random.Random) -> tuple[str, str]:
    first = rng.choice(FIRST_NAMES_MALE + FIRST_NAMES_FEMALE)
    return first, rng.choice(LAST_NAMES)


def mobile_number(rng: random.Random, written_form: int) -> str:
    """An Iranian mobile written one of the ways customers really write them."""
    prefix = rng.choice(MOBILE_PREFIXES)
    rest = f"{rng.randrange(10_000_000):07d}"
    national = prefix + rest
    forms = (
        national,
        "+98" + national[1:],
        "0098" + national[1:],
        f"{national[:4]} {rest[:3]} {rest[3:]}",
        national.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")),
    )
    return forms[written_form % len(forms)]


def email_for(rng: random.Random, first: str, index: int) -> str:
    local = LATIN.get(first, "customer")
    return f"{local}.{index}@{rng.choice(EMAIL_DOMAINS)}"
