"""Demo knowledge for DigiNoo: canned answers, the warranty script, a few articles."""

from __future__ import annotations

import random

from pasokh.interactions.models import Interaction
from pasokh.knowledge.actions import (
    do_answer_script_question,
    do_attach_file,
    do_create_article_category,
    do_create_script,
    do_publish_script_version,
    do_save_article,
    do_save_canned_answer,
    do_start_script_run,
)
from pasokh.tenancy.models import Role, Tenant, User

CANNED = (
    (
        "خوش‌آمدگویی",
        "/salam",
        "سلام {{ contact.first_name }} عزیز، {{ agent.first_name }} هستم از پشتیبانی "
        "{{ tenant.name }}. چطور می‌توانم کمکتان کنم؟",
    ),
    (
        "شماره پیگیری",
        "/peygiri",
        "درخواست شما با شماره پیگیری {{ ticket.reference }} ثبت شد. "
        "هر زمان خواستید با همین شماره پیگیری کنید.",
    ),
    (
        "ارسال سفارش",
        "/ersal",
        "سفارش {{ order.number }} فردا با پیک ارسال می‌شود و پیامک رهگیری برایتان می‌آید.",
    ),
    ("خداحافظی", "/bye", "از تماس شما سپاسگزاریم. روز خوبی داشته باشید."),
)

WARRANTY_V1 = {
    "start": "warranty",
    "questions": [
        {
            "id": "warranty",
            "text": "آیا دستگاه گارانتی دارد؟",
            "type": "yes_no",
            "branches": {"yes": "serial", "no": "paid_repair"},
        },
        {"id": "serial", "text": "شماره سریال دستگاه را بپرسید.", "type": "text", "next": None},
        {
            "id": "paid_repair",
            "text": "تعمیر با هزینه را پیشنهاد دهید.",
            "type": "info",
            "next": None,
        },
    ],
}
WARRANTY_V2 = {
    "start": "warranty",
    "questions": [
        {
            "id": "warranty",
            "text": "آیا دستگاه گارانتی دارد؟",
            "type": "yes_no",
            "branches": {"yes": "serial", "no": "paid_repair"},
        },
        {"id": "serial", "text": "شماره سریال دستگاه را بپرسید.", "type": "text", "next": "fault"},
        {
            "id": "fault",
            "text": "ایراد دستگاه چیست؟",
            "type": "choice",
            "choices": ["صفحه نمایش", "باتری", "سایر"],
            "branches": {"سایر": "describe"},
            "next": "pickup",
        },
        {"id": "describe", "text": "ایراد را با جزئیات بنویسید.", "type": "text", "next": "pickup"},
        {
            "id": "pickup",
            "text": "تاریخ مناسب برای تحویل دستگاه به پیک؟",
            "type": "date",
            "next": None,
        },
        {
            "id": "paid_repair",
            "text": "تعمیر با هزینه را پیشنهاد دهید.",
            "type": "info",
            "next": None,
        },
    ],
}
ARTICLES = (
    (
        "گارانتی و خدمات پس از فروش",
        "شرایط گارانتی گوشی‌های موبایل",
        "همه گوشی‌ها ۱۸ ماه گارانتی شرکتی دارند. "
        "برای استفاده از گارانتی، شماره سریال و فاکتور لازم است.",
        "public",
    ),
    (
        "ارسال و تحویل",
        "زمان ارسال سفارش در تهران و شهرستان‌ها",
        "سفارش‌های تهران تا ۲۴ ساعت کاری و شهرستان‌ها تا ۷۲ ساعت کاری ارسال می‌شوند.",
        "public",
    ),
    (
        "راهنمای داخلی",
        "بازگرداندن وجه به مشتری",
        "بازگشت وجه پس از تأیید واحد مالی حداکثر تا ۳ روز کاری به حساب مشتری واریز می‌شود.",
        "internal",
    ),
)
ATTACHMENT = "راهنمای گارانتی: شماره سریال پشت جعبه و زیر باتری درج شده است.\n".encode()


def build_knowledge_demo(tenant: Tenant, rng: random.Random) -> None:
    supervisor = User.objects.filter(tenant=tenant, role=Role.SUPERVISOR).order_by("pk").first()
    agent = User.objects.filter(tenant=tenant, role=Role.AGENT).order_by("pk").first()
    for title, shortcut, body in CANNED:
        do_save_canned_answer(
            tenant=tenant, actor=supervisor, title=title, shortcut=shortcut, body=body
        )
    script = do_create_script(
        tenant=tenant,
        actor=supervisor,
        name="پذیرش دستگاه برای تعمیر",
        description="وقتی مشتری از خرابی دستگاه خبر می‌دهد",
    )
    first = do_publish_script_version(script=script, actor=supervisor, definition=WARRANTY_V1)
    do_publish_script_version(script=script, actor=supervisor, definition=WARRANTY_V2)
    interactions = list(Interaction.objects.filter(tenant=tenant).order_by("arrived_at")[:2])
    if agent is not None and interactions:
        run = do_start_script_run(version=first, agent=agent, interaction=interactions[0])
        do_answer_script_question(run=run, question_id="warranty", raw="yes")
        do_answer_script_question(
            run=run, question_id="serial", raw=f"R58N{rng.randint(100000, 999999)}"
        )
    categories: dict[str, object] = {}
    for index, (category, title, body, visibility) in enumerate(ARTICLES):
        if category not in categories:
            categories[category] = do_create_article_category(tenant=tenant, name=category)
        article = do_save_article(
            tenant=tenant,
            actor=supervisor,
            category=categories[category],  # type: ignore[arg-type]
            title=title,
            body=body,
            visibility=visibility,
        )
        if index == 0:
            do_save_article(
                tenant=tenant,
                actor=supervisor,
                category=article.category,
                title=title,
                body=body + "\nگارانتی شامل آسیب فیزیکی و آب‌خوردگی نمی‌شود.",
                visibility=visibility,
                article=article,
            )
            do_attach_file(
                article=article, actor=supervisor, filename="warranty-guide.txt", content=ATTACHMENT
            )
