"""The routing expression language: parsing, evaluation, errors and round-trips."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pasokh.routing.expressions import ExpressionError, parse
from pasokh.routing.tests.profiles import ROUTING_SETTINGS

AGENT = {
    "fa": 4,
    "en": 1,
    "sales": 3,
    "tiers": frozenset({"gold"}),
    "teams": frozenset({"north"}),
    "team": frozenset({"north"}),
    "languages": frozenset({"fa", "en"}),
    "site": "tehran",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fa >= 4", True),
        ("fa > 4", False),
        ("fa <= 4 and en < 2", True),
        ("fa == 4", True),
        ("fa != 4", False),
        ("sales >= 2 or tv_repair >= 1", True),
        ("not sales >= 5", True),
        ("(fa >= 5 or en >= 1) and sales > 2", True),
        ('"gold" in tiers', True),
        ('"silver" in tiers', False),
        ('"silver" not in tiers', True),
        ('team in ["north", "south"]', True),
        ('team in ["east"]', False),
        ('team == "north"', True),
        ('site == "tehran"', True),
        ('"fa" in languages', True),
        ("true", True),
        ("false", False),
        ("sales", True),
        ("tv_repair", False),
        ("fa >= en", True),
        ("3 <= fa", True),
    ],
)
def test_an_expression_evaluates_against_the_agents_attributes(text, expected):
    assert parse(text).matches(AGENT) is expected


def test_a_missing_skill_counts_as_level_zero():
    assert parse("tv_repair >= 0").matches(AGENT)
    assert not parse("tv_repair >= 1").matches(AGENT)
    assert parse("tv_repair == 0").matches({})


def test_and_binds_tighter_than_or_and_not_tighter_than_and():
    assert parse("en >= 5 and fa >= 1 or sales >= 1").matches(AGENT)
    assert not parse("en >= 5 and (fa >= 1 or sales >= 1)").matches(AGENT)
    assert parse("not en >= 5 and fa >= 1").matches(AGENT)


def test_an_ordering_against_a_set_or_text_attribute_is_simply_false():
    assert not parse("tiers >= 1").matches(AGENT)
    assert not parse("site > 2").matches(AGENT)


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("fa => 2", "unknown operator '=>'", 4),
        ("fa = 2", "unknown operator '='", 4),
        ("fa >= ", "expected a name, a number or a text", 7),
        ("(fa >= 2", "expected ')'", 9),
        ("fa >= 2)", "unexpected ')'", 8),
        ("", "the expression is empty", 1),
        ("fa >= 2 sales", "unexpected 'sales'", 9),
        ('fa >= "high"', "'>=' compares numbers", 4),
        ('"gold in tiers', "unterminated text literal", 1),
        ("fa >= 2 & en", "unexpected character '&'", 9),
        ("team in 3", "'in' needs a list or a name", 9),
        ("team in [north]", "a list holds numbers and texts", 10),
        ("4fa >= 1", "a name cannot start with a digit", 1),
        ("fa not 3", "unexpected 'not'", 4),
        ("fa >= 2 == 3", "unexpected '=='", 9),
    ],
)
def test_a_bad_expression_is_refused_with_its_position_and_a_clear_message(text, message, column):
    with pytest.raises(ExpressionError) as raised:
        parse(text)
    assert message in str(raised.value)
    assert raised.value.column == column
    assert str(raised.value).endswith(f"at column {column}")


def test_the_error_names_the_operator_and_its_column_exactly():
    with pytest.raises(ExpressionError, match=r"^unknown operator '=>' at column 4$"):
        parse("fa => 2")


def test_a_very_long_expression_is_refused():
    with pytest.raises(ExpressionError, match="longer than"):
        parse(" or ".join(["fa >= 1"] * 200))


def test_the_expression_language_never_reaches_python():
    for text in ["__import__('os')", "fa.__class__", "open('x')", "lambda: 1"]:
        with pytest.raises(ExpressionError):
            parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "fa >= 4",
        "not (fa >= 2 or en > 3) and sales",
        '(fa >= 2 or "gold" in tiers) and team not in ["a", "b"]',
        "not not true",
        "(a or b) == true",
        "a or b or (c and d)",
        "'it\"s' in tags",
    ],
)
def test_str_gives_text_that_parses_to_the_same_expression(text):
    expression = parse(text)
    assert parse(str(expression)) == expression
    assert str(parse(str(expression))) == str(expression)


def test_the_skills_of_an_expression_are_the_names_compared_with_numbers():
    assert parse('fa >= 2 and (sales > 1 or "gold" in tiers)').skills == ("fa", "sales")
    assert parse("not tv_repair >= 1").skills == ("tv_repair",)


_names = st.sampled_from(["fa", "en", "sales", "tv_repair", "tiers", "team", "site"])
_atoms = st.one_of(
    st.builds(
        "{} {} {}".format,
        _names,
        st.sampled_from([">=", ">", "<=", "<", "==", "!="]),
        st.integers(0, 10).map(str),
    ),
    st.builds('"{}" in {}'.format, st.sampled_from(["gold", "north"]), _names),
    st.sampled_from(["true", "false", "sales"]),
)
_expressions = st.recursive(
    _atoms,
    lambda inner: st.one_of(
        st.builds("({}) and ({})".format, inner, inner),
        st.builds("({}) or ({})".format, inner, inner),
        st.builds("not ({})".format, inner),
    ),
    max_leaves=8,
)


@settings(ROUTING_SETTINGS)
@given(_expressions)
def test_a_generated_expression_round_trips_and_evaluates_the_same(text):
    expression = parse(text)
    again = parse(str(expression))
    assert again == expression
    assert again.matches(AGENT) == expression.matches(AGENT)
