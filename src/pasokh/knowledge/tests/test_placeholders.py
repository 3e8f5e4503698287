"""Canned answers fill a whitelist of placeholders; the rest stays visible, HTML is escaped."""

from __future__ import annotations

from pasokh.knowledge.placeholders import render, render_html, unknown_placeholders

PEOPLE = {"contact": {"first_name": "سارا"}, "agent": {"first_name": "علی"}}


def test_known_placeholders_are_filled() -> None:
    text = "سلام {{ contact.first_name }}، {{agent.first_name}} هستم."
    assert render(text, PEOPLE) == "سلام سارا، علی هستم."


def test_a_placeholder_without_a_value_stays_visible() -> None:
    assert render("شماره: {{ ticket.reference }}", PEOPLE) == "شماره: {{ ticket.reference }}"


def test_an_unknown_placeholder_stays_visible_and_is_never_evaluated() -> None:
    objects = {"contact": {"first_name": "سارا", "password": "secret"}}
    text = "{{ contact.password }} {{ settings.SECRET_KEY }} {% load x %}"
    assert render(text, objects) == text


def test_authors_are_told_about_unknown_placeholders() -> None:
    assert unknown_placeholders("{{ contact.first_name }} {{ contact.password }}") == [
        "contact.password"
    ]


def test_html_rendering_escapes_text_and_values() -> None:
    objects = {"contact": {"first_name": "<script>alert(1)</script>"}}
    html = render_html("<b>سلام</b> {{ contact.first_name }}", objects)
    assert html == "&lt;b&gt;سلام&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;"


def test_attribute_access_reads_model_like_objects() -> None:
    class Ticket:
        reference = "TK-1405-000123"

    assert render("{{ ticket.reference }}", {"ticket": Ticket()}) == "TK-1405-000123"
