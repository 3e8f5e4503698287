"""The tree of a parsed routing expression: frozen nodes that print and compile themselves.

``str(node)`` prints canonical text (parenthesised only where needed, so it parses back to an
equal tree); ``node.compile()`` returns a closure that evaluates it against an agent's
attributes without any interpretation overhead left at routing time.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final, TypeAlias

Value: TypeAlias = int | str | bool | frozenset[str] | tuple[int | str, ...]
Environment: TypeAlias = Mapping[str, Value]
Evaluator: TypeAlias = Callable[[Environment], Value]

COMPARISONS: Final[Mapping[str, Callable[[Any, Any], bool]]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}
ORDERINGS: Final = frozenset({">=", ">", "<=", "<"})


# ── nodes ─────────────────────────────────────────────────────────────────────────────────


def _quote(value: int | str) -> str:
    if isinstance(value, int):
        return str(value)
    quote = "'" if '"' in value else '"'
    return f"{quote}{value}{quote}"


@dataclass(frozen=True, slots=True)
class Literal:
    value: int | str | bool

    def __str__(self) -> str:
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return _quote(self.value)

    def compile(self) -> Evaluator:
        value = self.value
        return lambda env: value


@dataclass(frozen=True, slots=True)
class ListLiteral:
    items: tuple[int | str, ...]

    def __str__(self) -> str:
        return "[" + ", ".join(_quote(item) for item in self.items) + "]"

    def compile(self) -> Evaluator:
        items = self.items
        return lambda env: items


@dataclass(frozen=True, slots=True)
class Name:
    name: str

    def __str__(self) -> str:
        return self.name

    def compile(self) -> Evaluator:
        name = self.name
        return lambda env: env.get(name, 0)


@dataclass(frozen=True, slots=True)
class Comparison:
    op: str
    left: Node
    right: Node

    def __str__(self) -> str:
        return f"{_operand(self.left)} {self.op} {_operand(self.right)}"

    def compile(self) -> Evaluator:
        compare = COMPARISONS[self.op]
        left, right = self.left, self.right
        # The common shape `skill >= 3` gets a closure with no inner calls.
        if isinstance(left, Name) and isinstance(right, Literal) and type(right.value) is int:
            name, constant = left.name, right.value
            if self.op in ORDERINGS:
                return lambda env: _ordered(env.get(name, 0), constant, compare)
            return lambda env: _equal(env.get(name, 0), constant, compare)
        left_of, right_of = left.compile(), right.compile()
        if self.op in ORDERINGS:
            return lambda env: _ordered(left_of(env), right_of(env), compare)
        return lambda env: _equal(left_of(env), right_of(env), compare)


def _ordered(left: Value, right: Value, compare: Callable[[Any, Any], bool]) -> bool:
    # Skill levels are integers; anything else (a set, a text) never satisfies an ordering.
    if type(left) is int and type(right) is int:
        return compare(left, right)
    return False


def _equal(left: Value, right: Value, compare: Callable[[Any, Any], bool]) -> bool:
    if isinstance(left, frozenset) and isinstance(right, str):
        return compare(right in left, True)
    if isinstance(right, frozenset) and isinstance(left, str):
        return compare(left in right, True)
    return compare(left, right)


@dataclass(frozen=True, slots=True)
class Membership:
    item: Node
    container: Node
    negated: bool = False

    def __str__(self) -> str:
        keyword = "not in" if self.negated else "in"
        return f"{_operand(self.item)} {keyword} {_operand(self.container)}"

    def compile(self) -> Evaluator:
        item_of, container_of, negated = self.item.compile(), self.container.compile(), self.negated

        def evaluate(env: Environment) -> bool:
            return _contains(container_of(env), item_of(env)) != negated

        return evaluate


def _contains(container: Value, item: Value) -> bool:
    if not isinstance(container, frozenset | tuple):
        return False
    if isinstance(item, frozenset):
        return any(member in container for member in item)
    return item in container


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node

    def __str__(self) -> str:
        return f"not {_wrap(self.operand, Not)}"

    def compile(self) -> Evaluator:
        operand = self.operand.compile()
        return lambda env: not operand(env)


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple[Node, ...]

    def __str__(self) -> str:
        return " and ".join(_wrap(operand, And) for operand in self.operands)

    def compile(self) -> Evaluator:
        compiled = tuple(operand.compile() for operand in self.operands)
        return lambda env: all(evaluate(env) for evaluate in compiled)


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple[Node, ...]

    def __str__(self) -> str:
        return " or ".join(_wrap(operand, Or) for operand in self.operands)

    def compile(self) -> Evaluator:
        compiled = tuple(operand.compile() for operand in self.operands)
        return lambda env: any(evaluate(env) for evaluate in compiled)


Node: TypeAlias = Literal | ListLiteral | Name | Comparison | Membership | Not | And | Or

_BINDING = {Or: 1, And: 2, Not: 3}


def _wrap(node: Node, parent: type) -> str:
    """Parenthesise a child that binds more loosely than its parent, so str() re-parses."""
    child = _BINDING.get(type(node), 4)
    if child <= _BINDING[parent]:
        return f"({node})"
    return str(node)


def _operand(node: Node) -> str:
    if isinstance(node, Literal | ListLiteral | Name):
        return str(node)
    return f"({node})"


# ── what an expression talks about ───────────────────────────────────────────────────────────


def names_in(node: Node) -> Iterator[str]:
    if isinstance(node, Name):
        yield node.name
    elif isinstance(node, Comparison):
        yield from names_in(node.left)
        yield from names_in(node.right)
    elif isinstance(node, Membership):
        yield from names_in(node.item)
        yield from names_in(node.container)
    elif isinstance(node, Not):
        yield from names_in(node.operand)
    elif isinstance(node, And | Or):
        for operand in node.operands:
            yield from names_in(operand)


def skills_in(node: Node) -> Iterator[str]:
    """Names compared with a number: the skills whose levels make an agent proficient."""
    if isinstance(node, Comparison) and node.op in ORDERINGS | {"==", "!="}:
        for side, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(side, Name) and isinstance(other, Literal) and type(other.value) is int:
                yield side.name
    elif isinstance(node, Not):
        yield from skills_in(node.operand)
    elif isinstance(node, And | Or):
        for operand in node.operands:
            yield from skills_in(operand)
