"""A small, safe expression language over agent attributes.

Queues say which agents may serve them with an expression such as
``fa >= 4 and (sales >= 2 or "gold" in tiers)``. Text from an administrator is never handed to
``eval``: it is split into tokens, parsed by recursive descent into a tree of frozen nodes,
checked, and compiled into plain closures that the routing engine calls many thousands of times
a second.

Grammar (lowest precedence first)::

    expression  := or_expr
    or_expr     := and_expr ("or" and_expr)*
    and_expr    := not_expr ("and" not_expr)*
    not_expr    := "not" not_expr | comparison
    comparison  := operand [ ("==" | "!=" | ">=" | ">" | "<=" | "<") operand
                           | ["not"] "in" operand ]
    operand     := NAME | INTEGER | STRING | "true" | "false" | list | "(" expression ")"
    list        := "[" [ literal ("," literal)* ] "]"

A name is looked up in the agent's attributes. A name the agent does not have is 0, so
``tv_repair >= 1`` is simply false for an agent without that skill. ``x in y`` is true when the
value ``x`` (or, if ``x`` is a set such as ``teams``, any member of it) is in the list or set
``y``. ``==`` between a set and a text is membership too, so ``team == "north"`` reads naturally.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from pasokh.routing.expression_tree import (
    COMPARISONS,
    ORDERINGS,
    And,
    Comparison,
    Environment,
    ListLiteral,
    Literal,
    Membership,
    Name,
    Node,
    Not,
    Or,
    Value,
    names_in,
    skills_in,
)

__all__ = ["Environment", "Expression", "ExpressionError", "Value", "parse"]

MAX_LENGTH: Final = 1_000
KEYWORDS: Final = frozenset({"and", "or", "not", "in", "true", "false"})


class ExpressionError(ValueError):
    """The text is not a valid routing expression. ``column`` is 1-based."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} at column {column}")
        self.message = message
        self.column = column


# ── tokens ───────────────────────────────────────────────────────────────────────────────────

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INTEGER = re.compile(r"[0-9]+")
_OPERATOR_CHARS = "<>=!"


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "name", "keyword", "int", "str", "op", "punct", "end"
    text: str
    column: int
    value: int | str = ""


def tokenize(text: str) -> list[Token]:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is longer than {MAX_LENGTH} characters", 1)
    tokens: list[Token] = []
    index = 0
    while index < len(text):
        char = text[index]
        column = index + 1
        if char.isspace():
            index += 1
        elif char in "()[],":
            tokens.append(Token("punct", char, column))
            index += 1
        elif char in _OPERATOR_CHARS:
            end = index
            while end < len(text) and text[end] in _OPERATOR_CHARS:
                end += 1
            symbol = text[index:end]
            if symbol not in COMPARISONS:
                hint = " (did you mean '==')" if symbol == "=" else ""
                raise ExpressionError(f"unknown operator '{symbol}'{hint}", column)
            tokens.append(Token("op", symbol, column))
            index = end
        elif char in "\"'":
            end = text.find(char, index + 1)
            if end < 0:
                raise ExpressionError("unterminated text literal", column)
            literal = text[index + 1 : end]
            tokens.append(Token("str", text[index : end + 1], column, literal))
            index = end + 1
        elif match := _INTEGER.match(text, index):
            digits = match.group()
            if _NAME.match(text, match.end()):
                raise ExpressionError(f"a name cannot start with a digit: '{digits}…'", column)
            tokens.append(Token("int", digits, column, int(digits)))
            index = match.end()
        elif match := _NAME.match(text, index):
            word = match.group()
            kind = "keyword" if word in KEYWORDS else "name"
            tokens.append(Token(kind, word, column, word))
            index = match.end()
        else:
            raise ExpressionError(f"unexpected character '{char}'", column)
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# ── the parser ───────────────────────────────────────────────────────────────────────────────


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = tokenize(text)
        self.position = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.position]

    def advance(self) -> Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def at_keyword(self, word: str) -> bool:
        return self.current.kind == "keyword" and self.current.text == word

    def expect(self, text: str) -> Token:
        if self.current.text != text or self.current.kind not in ("punct", "keyword"):
            raise ExpressionError(
                f"expected '{text}' but found {_describe(self.current)}", self.current.column
            )
        return self.advance()

    def parse(self) -> Node:
        if self.current.kind == "end":
            raise ExpressionError("the expression is empty", 1)
        node = self.or_expr()
        if self.current.kind != "end":
            raise ExpressionError(f"unexpected {_describe(self.current)}", self.current.column)
        return node

    def or_expr(self) -> Node:
        operands = [self.and_expr()]
        while self.at_keyword("or"):
            self.advance()
            operands.append(self.and_expr())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def and_expr(self) -> Node:
        operands = [self.not_expr()]
        while self.at_keyword("and"):
            self.advance()
            operands.append(self.not_expr())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def not_expr(self) -> Node:
        if self.at_keyword("not"):
            self.advance()
            return Not(self.not_expr())
        return self.comparison()

    def comparison(self) -> Node:
        left = self.operand()
        token = self.current
        if token.kind == "op":
            self.advance()
            right = self.operand()
            _check_ordering(token, left, right)
            return Comparison(token.text, left, right)
        negated = False
        if self.at_keyword("not") and self.tokens[self.position + 1].text == "in":
            self.advance()
            negated = True
        if self.at_keyword("in"):
            self.advance()
            container_token = self.current
            container = self.operand()
            if not isinstance(container, Name | ListLiteral):
                raise ExpressionError(
                    "'in' needs a list or a name after it", container_token.column
                )
            return Membership(left, container, negated)
        return left

    def operand(self) -> Node:
        token = self.current
        if token.kind == "name":
            self.advance()
            return Name(token.text)
        if token.kind in ("int", "str"):
            self.advance()
            return Literal(token.value)
        if token.kind == "keyword" and token.text in ("true", "false"):
            self.advance()
            return Literal(token.text == "true")
        if token.text == "(" and token.kind == "punct":
            self.advance()
            node = self.or_expr()
            self.expect(")")
            return node
        if token.text == "[" and token.kind == "punct":
            return self.list_literal()
        raise ExpressionError(
            f"expected a name, a number or a text but found {_describe(token)}", token.column
        )

    def list_literal(self) -> ListLiteral:
        self.expect("[")
        items: list[int | str] = []
        while not (self.current.kind == "punct" and self.current.text == "]"):
            token = self.current
            if token.kind not in ("int", "str"):
                raise ExpressionError(
                    f"a list holds numbers and texts, not {_describe(token)}", token.column
                )
            items.append(token.value)
            self.advance()
            if self.current.kind == "punct" and self.current.text == ",":
                self.advance()
            elif not (self.current.kind == "punct" and self.current.text == "]"):
                raise ExpressionError(
                    f"expected ',' or ']' but found {_describe(self.current)}", self.current.column
                )
        self.advance()
        return ListLiteral(tuple(items))


def _describe(token: Token) -> str:
    return "the end of the expression" if token.kind == "end" else f"'{token.text}'"


def _check_ordering(token: Token, left: Node, right: Node) -> None:
    if token.text not in ORDERINGS:
        return
    for side in (left, right):
        if isinstance(side, ListLiteral) or (
            isinstance(side, Literal) and type(side.value) is not int
        ):
            raise ExpressionError(f"'{token.text}' compares numbers, not {side}", token.column)


# ── the public face ──────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, eq=False)
class Expression:
    """A parsed, checked and compiled routing expression.

    ``str(expression)`` is the canonical text; parsing it again gives an equal expression.
    """

    tree: Node
    evaluate: Callable[[Environment], Value]
    names: frozenset[str]
    skills: tuple[str, ...]
    text: str

    def matches(self, env: Environment) -> bool:
        return bool(self.evaluate(env))

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Expression({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expression) and other.tree == self.tree

    def __hash__(self) -> int:
        return hash(self.tree)


def parse(text: str) -> Expression:
    """Parse and compile ``text``; raise ExpressionError (with a column) when it is not valid."""
    tree = _Parser(text).parse()
    skills = tuple(dict.fromkeys(skills_in(tree)))
    return Expression(tree, tree.compile(), frozenset(names_in(tree)), skills, str(tree))


TRUE: Final = parse("true")
