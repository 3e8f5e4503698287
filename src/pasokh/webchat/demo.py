"""The demo's web chat: the widget, its four topics, and transcripts of earlier chats."""

from __future__ import annotations

import random
from datetime import timedelta

from django.conf import settings

from pasokh.interactions.actions import do_import_message, do_store_attachment
from pasokh.interactions.models import Interaction, Message
from pasokh.router.models import Queue
from pasokh.tenancy.models import Tenant
from pasokh.webchat.actions import do_configure_chat_widget, do_create_entry_point

TOPICS = (
    ("sales", "خرید و استعلام قیمت", "Sales and prices", "sales"),
    ("support", "پشتیبانی فنی", "Technical support", "support"),
    ("billing", "پرداخت و بازگشت وجه", "Payments and refunds", "billing"),
    ("complaints", "شکایت و انتقاد", "Complaints", "complaints"),
)

TRANSCRIPT = (
    ("customer", "سلام، وقت بخیر. سفارشم هنوز نرسیده."),
    ("agent", "سلام، وقت شما هم بخیر. لطفاً شماره سفارش را بفرمایید."),
    ("customer", "شماره سفارش ۱۴۰۳۲۲۱۵ است."),
    ("agent", "بررسی کردم؛ بسته امروز تحویل پیک شده و تا عصر می‌رسد."),
    ("customer", "ممنون از پیگیری‌تان."),
)

# The smallest valid PNG (1×1, transparent): a believable screenshot stand-in for the demo.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def build_webchat_demo(tenant: Tenant, rng: random.Random, queues: dict[str, Queue]) -> None:
    do_configure_chat_widget(tenant=tenant, allowed_origins=[settings.PASOKH_PUBLIC_URL])
    for position, (code, name, name_en, queue_code) in enumerate(TOPICS):
        do_create_entry_point(
            tenant=tenant,
            code=code,
            name=name,
            name_en=name_en,
            queue=queues[queue_code],
            position=position,
        )
    chats = Interaction.objects.filter(
        tenant=tenant, channel="chat", status=Interaction.Status.ENDED
    ).order_by("arrived_at")[:6]
    for index, chat in enumerate(chats):
        moment = chat.answered_at or chat.arrived_at
        for step, (sender, body) in enumerate(TRANSCRIPT[: rng.randint(3, len(TRANSCRIPT))]):
            do_import_message(
                interaction=chat,
                sender=sender,
                body=body,
                at=moment + timedelta(seconds=40 * step),
                author=chat.agent if sender == Message.Sender.AGENT else None,
            )
        if index == 0:
            picture = do_store_attachment(
                interaction=chat, data=TINY_PNG, name="receipt.png", max_bytes=1024
            )
            do_import_message(
                interaction=chat,
                sender=Message.Sender.CUSTOMER,
                body="",
                at=moment + timedelta(seconds=300),
                attachment=picture,
            )
