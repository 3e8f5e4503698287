"""Turning what a user typed (or what a customer wrote) into search terms.

Both backends receive the same :class:`SearchTerms`, so the Persian folding happens once,
here, with the same normalizer that built the stored keys.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pasokh.persian.normalize import search_tokens
from pasokh.persian.phone import looks_like_phone, phone_digits

MAX_TERMS = 12
MIN_PHONE_PREFIX = 4

# Words too common in a conversation to say what it is about (folded forms).
_STOPWORD_TEXT = """
    و در به از که این آن با را برای تا یا هم اما اگر چه چی چرا کجا کی من تو او ما شما
    ایشان آنها است هست بود شد شده می نمی ها های یک هر خیلی لطفا سلام ممنون مرسی باشه
    بله نه دارم داره دارید کنم کنید کند کرد کردم کردن میخواهم میخوام خواهم خوام هستم هستید
    the a an and or to of in on for is are was be i you we it my your this that with please
    hi hello thanks thank
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True)
class SearchTerms:
    """Folded words, how they combine, and an optional phone prefix."""

    words: tuple[str, ...]
    match_all: bool = True
    prefix_last: bool = True
    phone_prefix: str = ""

    @property
    def joined(self) -> str:
        """The words without spaces: finds "کتابخانه" when "کتاب خانه" was typed."""
        return "".join(self.words) if self.match_all and len(self.words) > 1 else ""


def _searchable(token: str) -> bool:
    return any(char.isalnum() for char in token)


def query_terms(text: str) -> SearchTerms | None:
    """Terms for a search box query: every word must match, the last one as a prefix."""
    words = tuple(token for token in search_tokens(text[:500]) if _searchable(token))
    phone = phone_digits(text) if looks_like_phone(text, min_digits=MIN_PHONE_PREFIX) else ""
    if not words and not phone:
        return None
    return SearchTerms(words=words[:MAX_TERMS], phone_prefix=phone)


def salient_terms(conversation_text: str, limit: int = MAX_TERMS) -> SearchTerms | None:
    """Terms for suggestions: the conversation's most frequent meaningful words, any of them."""
    counts = Counter(
        token
        for token in search_tokens(conversation_text[-5000:])
        if _searchable(token) and len(token) > 1 and token not in STOPWORDS
    )
    if not counts:
        return None
    ranked = sorted(counts, key=lambda token: (-counts[token], -len(token), token))
    return SearchTerms(words=tuple(ranked[:limit]), match_all=False, prefix_last=False)
