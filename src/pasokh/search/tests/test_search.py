"""Search finds Persian text however it was typed, ranks it, and stays inside the tenant."""

from __future__ import annotations

import pytest

from pasokh.search.actions import do_index_document, do_remove_document
from pasokh.search.models import SearchDocument
from pasokh.search.query import search, suggest

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(tenants):
    home = tenants.home
    SearchDocument.objects.all().delete()  # the demo's own contacts would blur the table
    documents = [
        ("contact", 1, "علی رضایی", "شرکت کتاب‌خانه‌ی نور", ["09121234567"]),
        ("contact", 2, "مریم كريمي", "مدرسۀ فرهنگ", ["+982188776655"]),
        ("contact", 3, "رضا مُحَمَّدی", "", ["00989351112233"]),
        ("ticket", 4, "شکایت از ارسال", "سفارش ۱۲۳۴۵ دیر رسید. می‌خواهم پیگیری کنید", []),
        ("article", 5, "بازگرداندن کالا", "برای مرجوعی کالا تا هفت روز فرصت دارید", []),
        ("canned_answer", 6, "پیگیری ارسال", "سفارش شما در حال ارسال است و کد رهگیری", []),
        ("article", 7, "گارانتی گوشی", "گارانتی دستگاه‌ها یک ساله است", []),
        ("order", 8, "سفارش SO-1404", "هدفون بی‌سیم", []),
        ("contact", 9, "فاطمة احمدی", "", []),
        ("contact", 10, "زهرا موسوی", "هنرمند", []),
    ]
    for kind, object_id, title, text, phones in documents:
        do_index_document(
            tenant=home, kind=kind, object_id=object_id, title=title, text=text, phones=phones
        )
    return tenants


def _found(tenants, query, kind=None):
    hits = search(tenants.user("agent"), query, kinds=[kind] if kind else None)
    return [(hit.kind, int(hit.object_id)) for hit in hits]


VARIANTS = [
    # (query, expected document) — the query spelled differently from what was stored
    ("علی", ("contact", 1)),
    ("علي", ("contact", 1)),  # Arabic yeh
    ("عَلی", ("contact", 1)),  # diacritic
    ("عـــلی", ("contact", 1)),  # tatweel
    ("رضایی", ("contact", 1)),
    ("رضايي", ("contact", 1)),  # Arabic yeh twice
    ("کتاب‌خانه", ("contact", 1)),  # ZWNJ as stored
    ("کتاب خانه", ("contact", 1)),  # space instead of ZWNJ
    ("کتابخانه", ("contact", 1)),  # nothing instead of ZWNJ
    ("كتابخانه", ("contact", 1)),  # Arabic kaf, joined
    ("کتابخانه‌ی", ("contact", 1)),
    ("کریمی", ("contact", 2)),  # stored with Arabic ك/ي, typed Persian
    ("كريمي", ("contact", 2)),
    ("مریم کری", ("contact", 2)),  # prefix on the last word
    ("مدرسه", ("contact", 2)),  # stored with ۀ
    ("مدرسۀ", ("contact", 2)),
    ("مدرسة", ("contact", 2)),  # Arabic teh marbuta
    ("محمدی", ("contact", 3)),  # stored with diacritics
    ("مُحمّدی", ("contact", 3)),
    ("فاطمه", ("contact", 9)),  # stored with ة
    ("فاطمۀ", ("contact", 9)),
    ("۱۲۳۴۵", ("ticket", 4)),  # Persian digits, stored Persian
    ("12345", ("ticket", 4)),  # ASCII digits
    ("١٢٣٤٥", ("ticket", 4)),  # Arabic-Indic digits
    ("میخواهم", ("ticket", 4)),  # joined
    ("می خواهم", ("ticket", 4)),  # spaced
    ("می‌خواهم پیگیری", ("ticket", 4)),  # ZWNJ
    ("مرجوعي", ("article", 5)),
    ("دستگاهها", ("article", 7)),
    ("دستگاه‌ها", ("article", 7)),
    ("بیسیم", ("order", 8)),
    ("SO-1404", ("order", 8)),
    ("09121234567", ("contact", 1)),  # phone, national
    ("+989121234567", ("contact", 1)),  # E.164
    ("00989121234567", ("contact", 1)),  # international prefix
    ("۰۹۱۲۱۲۳۴۵۶۷", ("contact", 1)),  # Persian digits
    ("٠٩١٢١٢٣٤٥٦٧", ("contact", 1)),  # Arabic-Indic digits
    ("0912 123 4567", ("contact", 1)),  # grouped
    ("0912123", ("contact", 1)),  # typed prefix
    ("021 8877 6655", ("contact", 2)),  # landline with area code
    ("+98 21 88776655", ("contact", 2)),
    ("09351112233", ("contact", 3)),  # stored as 0098…
]


@pytest.mark.parametrize(("query", "expected"), VARIANTS)
def test_finds_the_document_however_the_query_is_spelled(indexed, query, expected):
    assert expected in _found(indexed, query)


def test_the_variant_table_is_at_least_thirty_rows():
    assert len(VARIANTS) >= 30


def test_every_word_must_match(indexed):
    assert _found(indexed, "علی کریمی") == []


def test_filters_by_kind(indexed):
    assert _found(indexed, "ارسال", kind="canned_answer") == [("canned_answer", 6)]
    assert {kind for kind, _ in _found(indexed, "ارسال")} == {"ticket", "canned_answer"}


def test_a_title_match_with_more_occurrences_ranks_first(indexed):
    do_index_document(
        tenant=indexed.home, kind="article", object_id=11, title="ارسال ارسال", text="ارسال"
    )
    assert _found(indexed, "ارسال")[0] == ("article", 11)


def test_a_phone_hit_outranks_a_text_hit(indexed):
    do_index_document(tenant=indexed.home, kind="ticket", object_id=12, title="تماس 09121234567")
    assert _found(indexed, "09121234567")[0] == ("contact", 1)


def test_another_tenants_documents_are_never_found(indexed):
    other_user = indexed.user("b_agent")
    assert search(other_user, "علی") == []
    assert search(other_user, "09121234567") == []


def test_reindexing_replaces_and_removing_forgets(indexed):
    do_index_document(tenant=indexed.home, kind="contact", object_id=1, title="حسن")
    assert _found(indexed, "علی") == []
    assert _found(indexed, "حسن") == [("contact", 1)]
    do_remove_document(indexed.home, "contact", 1)
    assert _found(indexed, "حسن") == []
    assert SearchDocument.objects.filter(tenant=indexed.home, kind="contact").count() == 4


def test_queries_with_search_syntax_are_taken_literally(indexed):
    for query in ['"', "علی*", "NEAR(", "a OR", "' & |", "\\", "()", ":"]:
        search(indexed.user("agent"), query)  # must not raise
    assert _found(indexed, '"علی"') == [("contact", 1)]


def test_snippet_shows_the_matching_words(indexed):
    hit = search(indexed.user("agent"), "پیگیری", kinds=["ticket"])[0]
    assert "پیگیری" in hit.snippet


def test_suggest_ranks_answers_for_the_conversation(indexed):
    conversation = "سلام، سفارش من هنوز ارسال نشده. کد رهگیری ارسال را می‌خواهم"
    hits = suggest(indexed.user("agent"), conversation)
    assert (hits[0].kind, int(hits[0].object_id)) == ("canned_answer", 6)
    assert all(hit.kind in {"canned_answer", "article"} for hit in hits)


def test_suggest_finds_an_article_about_returns(indexed):
    hits = suggest(indexed.user("agent"), "می‌خوام کالا رو مرجوع کنم، گارانتی نداره")
    kinds_ids = [(hit.kind, int(hit.object_id)) for hit in hits]
    assert ("article", 5) in kinds_ids
    assert ("article", 7) in kinds_ids


def test_an_inactive_user_finds_nothing(indexed):
    agent = indexed.user("agent")
    agent.is_active = False
    assert search(agent, "علی") == []


def test_postgresql_forgives_a_doubled_letter(indexed):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("trigram similarity is the PostgreSQL backend's extra")
    assert ("contact", 1) in _found(indexed, "رضاییی")
