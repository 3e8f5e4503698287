"""Readers of scenario fields: each checks one value and names it in its error message."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from pasokh.routing.model import Channel
from pasokh.simulation.distributions import ScenarioError


def channels(value: Any, where: str) -> frozenset[Channel]:
    if not isinstance(value, list) or not value:
        raise ScenarioError(f'{where}: channels is a non-empty list such as ["voice"]')
    result = set()
    for name in value:
        try:
            result.add(Channel(name))
        except ValueError:
            choices = ", ".join(c.value for c in Channel if c is not Channel.CALLBACK)
            raise ScenarioError(f"{where}: unknown channel {name!r} (use {choices})") from None
    return frozenset(result)


def only(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise ScenarioError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")


def tables(data: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
    value = data.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(t, dict) for t in value):
        raise ScenarioError(f"{where}: at least one [[{key}]] table is required")
    return value


def number(data: Mapping[str, Any], key: str, where: str, default: float | None) -> float:
    value = data.get(key, default)
    if value is None:
        raise ScenarioError(f"{where}: {key} is required")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScenarioError(f"{where}: {key} must be a number, got {value!r}")
    return float(value)


def positive(data: Mapping[str, Any], key: str, where: str) -> float:
    value = number(data, key, where, None)
    if value <= 0:
        raise ScenarioError(f"{where}: {key} must be greater than 0")
    return value


def non_negative(data: Mapping[str, Any], key: str, where: str, default: float) -> float:
    value = number(data, key, where, default)
    if value < 0:
        raise ScenarioError(f"{where}: {key} must be at least 0")
    return value


def integer(
    data: Mapping[str, Any], key: str, where: str, default: int, low: int, high: int = 2**63
) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScenarioError(f"{where}: {key} must be a whole number from {low} to {high}")
    return value


def text(value: Any, key: str, where: str) -> str:
    if not isinstance(value, str):
        raise ScenarioError(f"{where}: {key} must be text")
    return value


def choice(data: Mapping[str, Any], key: str, where: str, enum: Any, default: Any) -> Any:
    try:
        return enum(data.get(key, default.value))
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise ScenarioError(f"{where}: {key} must be one of {choices}") from None
