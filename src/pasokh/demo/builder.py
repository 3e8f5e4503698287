"""The demo business: DigiNoo (دیجی‌نو), an online electronics retailer in Tehran.

Everything is written through the apps' actions, exactly as a real installation would be
filled, so the demo also exercises the write path. Building is deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from pasokh.contacts.actions import do_create_contact
from pasokh.contacts.demo import build_contacts_demo
from pasokh.contacts.models import Contact
from pasokh.demo import people
from pasokh.interactions.actions import do_create_disposition_code, do_import_interaction
from pasokh.interactions.models import DispositionCode, Interaction
from pasokh.knowledge.demo import build_knowledge_demo
from pasokh.orders.demo import build_orders_demo
from pasokh.planning.demo import build_planning_demo
from pasokh.router.actions import (
    do_create_agent_profile,
    do_create_queue,
    do_create_reason_code,
    do_create_routing_profile,
    do_create_skill,
)
from pasokh.router.demo import build_routing_demo
from pasokh.router.models import Queue, RoutingProfile, Skill
from pasokh.tenancy.actions import do_create_tenant, do_create_user, do_seed_official_holidays
from pasokh.tenancy.api_keys import do_issue_api_key
from pasokh.tenancy.models import Role, Team, Tenant, User
from pasokh.tickets.demo import build_tickets_demo
from pasokh.voice.demo import build_voice_demo
from pasokh.webchat.demo import build_webchat_demo

DEMO_PASSWORD = "pasokh-1405"  # noqa: S105  (printed by `pasokh demo`; demo tenants only)

SKILLS = (
    ("fa", "فارسی", Skill.Kind.LANGUAGE),
    ("en", "انگلیسی", Skill.Kind.LANGUAGE),
    ("sales", "فروش", Skill.Kind.DOMAIN),
    ("mobile", "گوشی موبایل", Skill.Kind.PRODUCT),
    ("laptop", "لپ‌تاپ", Skill.Kind.PRODUCT),
    ("tv", "تلویزیون و صوتی", Skill.Kind.PRODUCT),
    ("billing", "امور مالی و پرداخت", Skill.Kind.DOMAIN),
    ("complaints", "رسیدگی به شکایات", Skill.Kind.DOMAIN),
)

QUEUES = (
    (
        "sales",
        "فروش",
        ["voice", "chat", "messaging"],
        "fa >= 4 and sales >= 3",
        7,
        [{"after_s": 30, "expression": "fa >= 2 and sales >= 1"}],
    ),
    (
        "support",
        "پشتیبانی فنی",
        ["voice", "chat", "email"],
        "fa >= 4 and (mobile >= 3 or laptop >= 3)",
        6,
        [{"after_s": 45, "expression": "fa >= 3"}],
    ),
    ("billing", "امور مالی", ["voice", "chat", "email"], "fa >= 4 and billing >= 3", 5, []),
    (
        "complaints",
        "شکایات",
        ["voice", "chat", "email", "messaging"],
        "fa >= 5 and complaints >= 4",
        8,
        [{"after_s": 120, "overflow_to": "support"}],
    ),
)

TEAMS = ("تیم فروش", "تیم پشتیبانی", "تیم مالی و شکایات")

REASON_CODES = (
    ("break", "استراحت", True),
    ("lunch", "ناهار و نماز", True),
    ("training", "آموزش", False),
    ("meeting", "جلسه", False),
    ("coaching", "مربی‌گری", False),
)

DISPOSITIONS = (
    ("sold", "فروش انجام شد"),
    ("resolved", "مشکل حل شد"),
    ("info", "اطلاعات داده شد"),
    ("callback", "تماس بعدی لازم است"),
    ("ticket", "تیکت ثبت شد"),
    ("no_answer", "بی‌پاسخ"),
)

SUBJECTS = {
    "sales": ("استعلام قیمت گوشی", "خرید اقساطی لپ‌تاپ", "موجودی تلویزیون ۵۵ اینچ", "کد تخفیف"),
    "support": ("روشن نشدن گوشی", "گارانتی لپ‌تاپ", "نصب تلویزیون", "مشکل شارژ باتری"),
    "billing": ("پرداخت ناموفق", "بازگشت وجه", "فاکتور رسمی", "کسر دوباره از حساب"),
    "complaints": ("تأخیر در ارسال", "کالای آسیب‌دیده", "برخورد پیک", "کالای اشتباه"),
}

# (username, first, last, team index, skill levels, routing profile)
STAFF = (
    ("agent", "علی", "رضایی", 0, {"fa": 9, "en": 5, "sales": 8, "mobile": 6}, "sales"),
    ("agent2", "زهرا", "محمدی", 0, {"fa": 9, "sales": 7, "laptop": 5}, "sales"),
    ("agent3", "حمید", "کریمی", 0, {"fa": 8, "en": 7, "sales": 6, "tv": 6}, "sales"),
    ("agent4", "نگار", "حسینی", 0, {"fa": 9, "sales": 5, "mobile": 7}, "sales"),
    ("agent5", "آرش", "موسوی", 1, {"fa": 8, "mobile": 9, "laptop": 6}, "support"),
    ("agent6", "مینا", "جعفری", 1, {"fa": 9, "laptop": 8, "tv": 5}, "support"),
    ("agent7", "پویا", "صادقی", 1, {"fa": 7, "en": 8, "mobile": 6, "laptop": 7}, "support"),
    ("agent8", "الهام", "نوری", 1, {"fa": 9, "tv": 8, "mobile": 4}, "support"),
    ("agent9", "سعید", "قاسمی", 2, {"fa": 9, "billing": 8, "complaints": 5}, "billing"),
    ("agent10", "لیلا", "کاظمی", 2, {"fa": 9, "billing": 6, "complaints": 8}, "complaints"),
    ("agent11", "بهرام", "هاشمی", 2, {"fa": 8, "en": 6, "billing": 7}, "billing"),
    ("agent12", "سمیرا", "عباسی", 2, {"fa": 9, "complaints": 9, "sales": 3}, "complaints"),
)
SUPERVISORS = (("supervisor", "مریم", "احمدی"), ("supervisor2", "کاوه", "طاهری"))
ADMIN = ("admin", "رضا", "نجفی")

PROFILES = {
    "sales": (("sales", 2), ("complaints", 1)),
    "support": (("support", 2), ("complaints", 1)),
    "billing": (("billing", 2), ("sales", 1)),
    "complaints": (("complaints", 2), ("billing", 1)),
}


@dataclass(frozen=True)
class DemoSpec:
    slug: str = "diginoo"
    name: str = "دیجی‌نو — فروشگاه اینترنتی لوازم الکترونیکی"
    username_prefix: str = ""
    customers: int = 60
    history: int = 240
    seed: int = 1405


@dataclass(frozen=True)
class DemoSummary:
    tenant: Tenant
    created: bool
    users: int
    customers: int
    interactions: int


def build_demo(spec: DemoSpec = DemoSpec()) -> DemoSummary:
    """Create the demo tenant, or leave an existing one untouched (safe to run again)."""
    existing = Tenant.objects.filter(slug=spec.slug).first()
    if existing is not None:
        return _summary(existing, created=False)
    with transaction.atomic():
        tenant = _build(spec)
    return _summary(tenant, created=True)


def _summary(tenant: Tenant, *, created: bool) -> DemoSummary:
    return DemoSummary(
        tenant=tenant,
        created=created,
        users=User.objects.filter(tenant=tenant).count(),
        customers=Contact.objects.filter(tenant=tenant).count(),
        interactions=Interaction.objects.filter(tenant=tenant).count(),
    )


def _build(spec: DemoSpec) -> Tenant:
    rng = random.Random(spec.seed)  # noqa: S311  (reproducible demo data, not security)
    tenant = do_create_tenant(name=spec.name, slug=spec.slug)
    year = timezone.localdate().year
    do_seed_official_holidays(tenant, range(year - 1, year + 2))
    skills = {
        code: do_create_skill(tenant=tenant, code=code, name=name, kind=kind)
        for code, name, kind in SKILLS
    }
    queues = {
        code: do_create_queue(
            tenant=tenant,
            code=code,
            name=name,
            channels=channels,
            target_expression=expression,
            priority=priority,
            steps=steps,
            disposition_required=code == "complaints",
        )
        for code, name, channels, expression, priority, steps in QUEUES
    }
    profiles = {
        name: do_create_routing_profile(
            tenant=tenant, name=name, queues=[(queues[q], p) for q, p in entries]
        )
        for name, entries in PROFILES.items()
    }
    teams = [Team.objects.create(tenant=tenant, name=name) for name in TEAMS]
    for code, name, is_break in REASON_CODES:
        do_create_reason_code(tenant=tenant, code=code, name=name, is_break=is_break)
    dispositions = [
        do_create_disposition_code(tenant=tenant, code=c, name=n) for c, n in DISPOSITIONS
    ]
    agents = _build_staff(spec, tenant, teams, skills, profiles)
    contacts = _build_customers(spec, tenant, rng)
    build_contacts_demo(tenant, rng, contacts)
    _build_history(spec, tenant, rng, contacts, agents, queues, dispositions)
    build_routing_demo(tenant, rng, agents)
    build_webchat_demo(tenant, rng, queues)
    build_voice_demo(tenant, rng, queues, agents, DEMO_PASSWORD)
    build_tickets_demo(tenant, rng)
    build_orders_demo(tenant, rng)
    build_knowledge_demo(tenant, rng)
    build_planning_demo(tenant, User.objects.get(username=spec.username_prefix + "supervisor"))
    return tenant


def _user(
    spec: DemoSpec,
    tenant: Tenant,
    username: str,
    first: str,
    last: str,
    role: str,
    teams: list[Team],
) -> User:
    return do_create_user(
        tenant=tenant,
        username=spec.username_prefix + username,
        password=DEMO_PASSWORD,
        role=role,
        first_name=first,
        last_name=last,
        teams=teams,
    )


def _build_staff(
    spec: DemoSpec,
    tenant: Tenant,
    teams: list[Team],
    skills: dict[str, Skill],
    profiles: dict[str, RoutingProfile],
) -> list[User]:
    admin = _user(spec, tenant, *ADMIN, Role.ADMIN, [])
    do_issue_api_key(user=admin, name="CRM integration")
    for username, first, last in SUPERVISORS:
        _user(spec, tenant, username, first, last, Role.SUPERVISOR, teams)
    agents = []
    for index, (username, first, last, team, levels, profile) in enumerate(STAFF):
        user = _user(spec, tenant, username, first, last, Role.AGENT, [teams[team]])
        do_create_agent_profile(
            user=user,
            routing_profile=profiles[profile],
            skills={skills[code]: level for code, level in levels.items()},
            extension=str(201 + index),
        )
        agents.append(user)
    return agents


def _build_customers(spec: DemoSpec, tenant: Tenant, rng: random.Random) -> list[Contact]:
    contacts = []
    seen_numbers: set[str] = set()
    for index in range(spec.customers):
        first, last = people.person_name(rng)
        phone = people.mobile_number(rng, index)
        while phone[-7:] in seen_numbers:
            phone = people.mobile_number(rng, index)
        seen_numbers.add(phone[-7:])
        emails = [people.email_for(rng, first, index)] if rng.random() < 0.4 else []
        contacts.append(
            do_create_contact(
                tenant=tenant,
                first_name=first,
                last_name=last,
                phones=[phone],
                emails=emails,
                company=rng.choice(people.COMPANIES),
                language="en" if rng.random() < 0.05 else "fa",
            )
        )
    return contacts


def _during_opening_hours(now: datetime, rng: random.Random) -> datetime:
    """A moment of the last 30 days between 08:00 and 20:00 Tehran time, not on a Friday."""
    while True:
        day = timezone.localtime(now).date() - timedelta(days=rng.randint(1, 30))
        if day.weekday() != 4:  # Friday
            break
    minute = rng.randrange(8 * 60, 20 * 60)
    return datetime.combine(
        day, time(minute // 60, minute % 60), tzinfo=timezone.get_current_timezone()
    )


def _build_history(
    spec: DemoSpec,
    tenant: Tenant,
    rng: random.Random,
    contacts: list[Contact],
    agents: list[User],
    queues: dict[str, Queue],
    dispositions: list[DispositionCode],
) -> None:
    now = timezone.now()
    queue_codes = list(queues)
    channels = ("voice", "voice", "voice", "chat", "chat", "email", "messaging")
    for _ in range(spec.history):
        code = rng.choice(queue_codes)
        queue = queues[code]
        channel = rng.choice([c for c in channels if c in queue.channels] or queue.channels)
        arrived = _during_opening_hours(now, rng)
        wait = rng.expovariate(1 / 25)
        abandoned = rng.random() < 0.08
        if abandoned:
            do_import_interaction(
                tenant=tenant,
                contact=rng.choice(contacts),
                channel=channel,
                queue=queue,
                arrived_at=arrived,
                ended_at=arrived + timedelta(seconds=wait),
                status=Interaction.Status.ABANDONED,
                subject=rng.choice(SUBJECTS[code]),
            )
            continue
        answered = arrived + timedelta(seconds=wait)
        handle = rng.lognormvariate(5.3, 0.5)
        do_import_interaction(
            tenant=tenant,
            contact=rng.choice(contacts),
            channel=channel,
            queue=queue,
            agent=rng.choice(agents),
            arrived_at=arrived,
            answered_at=answered,
            ended_at=answered + timedelta(seconds=handle),
            status=Interaction.Status.ENDED,
            subject=rng.choice(SUBJECTS[code]),
            disposition=rng.choice(dispositions),
            csat=rng.choice((None, 3, 4, 5, 5, 5)),
            note="مشتری راضی بود و پیگیری لازم نیست." if rng.random() < 0.3 else "",
        )
