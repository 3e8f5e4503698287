"""Golden table for the search normaliser: each row is a spelling seen in real data."""

from __future__ import annotations

import pytest

from pasokh.persian.normalize import display_clean, search_key, search_keys, search_tokens

ZWNJ = "\u200c"

SEARCH_KEY_CASES = [
    # Yeh and kaf
    pytest.param("علي", "علی", id="arabic-yeh"),
    pytest.param("علی", "علی", id="farsi-yeh-unchanged"),
    pytest.param("مصطفى", "مصطفی", id="alef-maksura"),
    pytest.param("ے", "ی", id="yeh-barree"),
    pytest.param("كتاب", "کتاب", id="arabic-kaf"),
    pytest.param("علي كريمي", "علی کریمی", id="arabic-yeh-and-kaf-in-full-name"),
    pytest.param("مديريت", "مدیریت", id="arabic-yeh-mid-word"),
    # ZWNJ
    pytest.param(f"می{ZWNJ}خواهم", "می خواهم", id="zwnj-becomes-space"),
    pytest.param("می خواهم", "می خواهم", id="typed-with-space"),
    pytest.param("میخواهم", "میخواهم", id="typed-joined"),
    pytest.param(f"کتاب{ZWNJ}ها", "کتاب ها", id="zwnj-plural-suffix"),
    pytest.param(f"می{ZWNJ}{ZWNJ}خواهم", "می خواهم", id="double-zwnj"),
    pytest.param(f"می{ZWNJ} خواهم", "می خواهم", id="zwnj-next-to-space"),
    # Diacritics and tatweel
    pytest.param("کِتابٌ", "کتاب", id="kasra-and-tanwin"),
    pytest.param("مُدیر", "مدیر", id="damma"),
    pytest.param("محمّد", "محمد", id="shadda"),
    pytest.param("رحمٰن", "رحمن", id="superscript-alef"),
    pytest.param("سَلامْ", "سلام", id="fatha-and-sukun"),
    pytest.param("سلـــام", "سلام", id="tatweel"),
    pytest.param("صلّی‌الله", "صلی الله", id="shadda-and-zwnj"),
    # Digits of three kinds
    pytest.param("۱۲۳۴", "1234", id="persian-digits"),
    pytest.param("١٢٣٤", "1234", id="arabic-indic-digits"),
    pytest.param("1234", "1234", id="ascii-digits"),
    pytest.param("٤٥٦ ۴۵۶ 456", "456 456 456", id="three-digit-scripts"),
    pytest.param("سفارش ۱۲۳", "سفارش 123", id="persian-text-with-digits"),
    # Presentation forms (PDFs, old systems)
    pytest.param("ﻛﺘﺎﺏ", "کتاب", id="presentation-forms-kaf"),
    pytest.param("ﻋﻠﻲ", "علی", id="presentation-forms-yeh"),
    pytest.param("ﻻ", "لا", id="lam-alef-ligature"),
    # Heh forms
    pytest.param("مدرسة", "مدرسه", id="teh-marbuta"),
    pytest.param("خانۀ", "خانه", id="heh-with-yeh-ezafe"),
    pytest.param("خانهٔ", "خانه", id="heh-with-combining-hamza"),
    pytest.param("ۂ", "ه", id="heh-goal-with-hamza"),
    # Hamza
    pytest.param("مسأله", "مساله", id="alef-hamza-above"),
    pytest.param("إیران", "ایران", id="alef-hamza-below"),
    pytest.param("ٱلله", "الله", id="alef-wasla"),
    pytest.param("مؤسسه", "موسسه", id="waw-hamza"),
    pytest.param("مسئله", "مسئله", id="yeh-hamza-kept"),
    pytest.param("آب", "آب", id="alef-madda-kept"),
    pytest.param("ا\u0653ب", "آب", id="decomposed-madda-composes"),
    # Invisible marks
    pytest.param("\u200fسلام\u200e", "سلام", id="rlm-lrm"),
    pytest.param("\u202bسلام\u202c", "سلام", id="rle-pdf-embedding"),
    pytest.param("\u2067سلام\u2069", "سلام", id="rli-pdi-isolate"),
    pytest.param("\ufeffسلام", "سلام", id="bom"),
    pytest.param("سل\u200bام", "سلام", id="zero-width-space"),
    pytest.param("سل\u200dام", "سلام", id="zwj"),
    pytest.param("\u061cسلام", "سلام", id="arabic-letter-mark"),
    # Punctuation and whitespace
    pytest.param("سلام، دنیا؟", "سلام, دنیا?", id="arabic-comma-question-mark"),
    pytest.param("الف؛ ب", "الف; ب", id="arabic-semicolon"),
    pytest.param("۱۲٫۵", "12.5", id="arabic-decimal-separator"),
    pytest.param("۱٬۰۰۰", "1,000", id="arabic-thousands-separator"),
    pytest.param("۵۰٪", "50%", id="arabic-percent"),
    pytest.param("  علی \t\n رضایی  ", "علی رضایی", id="collapse-whitespace"),
    pytest.param("علی\u00a0رضایی", "علی رضایی", id="no-break-space"),
    pytest.param("", "", id="empty"),
    # English and mixed text
    pytest.param("Hello World", "hello world", id="english-casefold"),
    pytest.param("STRASSE Straße", "strasse strasse", id="casefold-not-lower"),
    pytest.param("ﬁle", "file", id="latin-ligature"),
    pytest.param("Ｐａｓｏｋｈ", "pasokh", id="fullwidth-latin"),
    pytest.param("café", "café", id="precomposed-latin-accent-kept"),
    pytest.param("سفارش #A-12 برای Ali", "سفارش #a-12 برای ali", id="mixed-persian-english"),
    pytest.param("\u200fپشتیبانی Support\u200e ۲۴/۷", "پشتیبانی support 24/7", id="mixed-bidi"),
]


@pytest.mark.parametrize(("text", "expected"), SEARCH_KEY_CASES)
def test_search_key(text: str, expected: str) -> None:
    assert search_key(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(f"می{ZWNJ}خواهم", "میخواهم", id="zwnj-removed"),
        pytest.param(f"کتاب{ZWNJ}ها", "کتابها", id="plural-joined"),
        pytest.param("می خواهم", "می خواهم", id="real-space-kept"),
        pytest.param(f"نمی{ZWNJ}توانم كار", "نمیتوانم کار", id="joined-and-folded"),
    ],
)
def test_search_key_joined(text: str, expected: str) -> None:
    assert search_key(text, zwnj="") == expected


def test_search_key_rejects_other_zwnj_replacements() -> None:
    with pytest.raises(ValueError, match="zwnj"):
        search_key("می‌خواهم", zwnj="-")


def test_search_keys_gives_spaced_then_joined() -> None:
    assert search_keys(f"می{ZWNJ}خواهم كتاب{ZWNJ}ها") == ("می خواهم کتاب ها", "میخواهم کتابها")


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("می خواهم", id="spaced"),
        pytest.param("میخواهم", id="joined"),
        pytest.param(f"مي{ZWNJ}خواهم", id="zwnj-arabic-yeh"),
    ],
)
def test_every_zwnj_spelling_matches_one_stored_key(query: str) -> None:
    stored = search_keys(f"می{ZWNJ}خواهم")
    assert search_key(query) in stored or search_key(query, zwnj="") in stored


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("سلام، دنیا!", ["سلام", "دنیا"], id="punctuation-at-ends"),
        pytest.param("«کتاب» (جدید)", ["کتاب", "جدید"], id="quotes-and-brackets"),
        pytest.param("ali@Example.com ۱۲٫۵", ["ali@example.com", "12.5"], id="inner-punct-kept"),
        pytest.param(f"کتاب{ZWNJ}های علي", ["کتاب", "های", "علی"], id="zwnj-splits"),
        pytest.param(" - ، ", [], id="only-punctuation"),
    ],
)
def test_search_tokens(text: str, expected: list[str]) -> None:
    assert search_tokens(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("علي كريمي", "علی کریمی", id="fixes-yeh-kaf"),
        pytest.param(f"کتاب{ZWNJ}ها", f"کتاب{ZWNJ}ها", id="keeps-zwnj"),
        pytest.param("خانۀ مدرسة", "خانۀ مدرسة", id="keeps-heh-forms"),
        pytest.param("کِتاب", "کِتاب", id="keeps-diacritics"),
        pytest.param("۱۲۳", "۱۲۳", id="keeps-persian-digits"),
        pytest.param("\u200f+98 912\u200e", "+98 912", id="strips-bidi-marks"),
        pytest.param("\ufeffسلام\u200b", "سلام", id="strips-bom-and-zwsp"),
        pytest.param("  فاصله  ", "  فاصله  ", id="keeps-whitespace"),
    ],
)
def test_display_clean(text: str, expected: str) -> None:
    assert display_clean(text) == expected
