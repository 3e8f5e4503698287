"""Filling ``{{ contact.first_name }}`` in canned answers: a whitelist, never a template engine.

Canned answers are written by supervisors, so their text is data, not code: only the dotted
names in :data:`FIELDS` are replaced, by plain values. A placeholder that is unknown, or
whose value is not known in this conversation (no ticket yet), is LEFT VISIBLE as written,
so the agent sees the gap before sending instead of the customer reading a silent hole.
In HTML the whole text, values included, is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.html import escape

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\.([a-z_]+)\s*\}\}")

# object name → the attributes that may be read from it.
FIELDS: dict[str, tuple[str, ...]] = {
    "contact": ("first_name", "last_name", "company"),
    "agent": ("first_name", "last_name"),
    "ticket": ("reference", "subject"),
    "order": ("number",),
    "tenant": ("name",),
}


def known_names() -> list[str]:
    return [f"{obj}.{attr}" for obj, attrs in FIELDS.items() for attr in attrs]


def unknown_placeholders(text: str) -> list[str]:
    """Placeholders an author wrote that will never be filled (to refuse them when saved)."""
    return [
        f"{obj}.{attr}"
        for obj, attr in PLACEHOLDER.findall(text)
        if attr not in FIELDS.get(obj, ())
    ]


def _value(objects: Mapping[str, Any], obj: str, attr: str) -> str | None:
    if attr not in FIELDS.get(obj, ()):
        return None
    source = objects.get(obj)
    if source is None:
        return None
    value = source.get(attr) if isinstance(source, Mapping) else getattr(source, attr, None)
    if value is None or value == "":
        return None
    return str(value)


def render(text: str, objects: Mapping[str, Any]) -> str:
    """Plain text with the known placeholders filled; others stay as the author wrote them."""

    def replace(match: re.Match[str]) -> str:
        value = _value(objects, match.group(1), match.group(2))
        return match.group(0) if value is None else value

    return PLACEHOLDER.sub(replace, text)


def render_html(text: str, objects: Mapping[str, Any]) -> str:
    """The same, safe to put into HTML: the author's text and every value are escaped."""
    pieces: list[str] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        value = _value(objects, match.group(1), match.group(2))
        pieces.append(escape(match.group(0) if value is None else value))
        position = match.end()
    pieces.append(escape(text[position:]))
    return "".join(pieces)
