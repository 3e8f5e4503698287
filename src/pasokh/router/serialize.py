"""JSON forms of the core's commands and events (the core has no serializer of its own).

Events become ``{"name": "offer.accepted", "interaction_id": "42", ...}``: the event log, the
Channels messages and the scale-out result rows all use this form. Commands become
``{"type": "AcceptOffer", ...}`` for the scale-out command table. Both convert back, so a
web process waiting for a remote router gets the same typed events an embedded one returns.
"""

from __future__ import annotations

import dataclasses
import typing
from collections import abc
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any

from pasokh.routing import commands as c
from pasokh.routing import events as e

EVENT_TYPES: dict[str, type[e.Event]] = {event.name: event for event in e.CATALOGUE}
COMMAND_TYPES: dict[str, type[Any]] = {
    name: value
    for name, value in vars(c).items()
    if isinstance(value, type)
    and dataclasses.is_dataclass(value)
    and value.__module__ == c.__name__
}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    if isinstance(value, typing.Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def event_to_dict(event: e.Event) -> dict[str, Any]:
    data = {"name": event.name}
    for field in dataclasses.fields(event):  # type: ignore[arg-type]
        data[field.name] = _plain(getattr(event, field.name))
    return data


def command_to_dict(command: Any) -> dict[str, Any]:
    if type(command).__name__ not in COMMAND_TYPES:
        raise TypeError(f"{type(command).__name__} is not a routing command")
    if isinstance(command, c.DefineAgent | c.DefineQueue):
        raise TypeError("definitions are loaded by the router itself; reload the config instead")
    data: dict[str, Any] = {"type": type(command).__name__}
    for field in dataclasses.fields(command):
        data[field.name] = _plain(getattr(command, field.name))
    return data


@cache
def _hints(cls: type[Any]) -> dict[str, Any]:
    namespace = {**vars(e), **vars(c)}
    return typing.get_type_hints(cls, globalns=namespace)


def _typed(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    candidates = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, _UNION) else ()
    for option in candidates or (hint,):
        if option is datetime:
            return datetime.fromisoformat(value)
        if isinstance(option, type) and issubclass(option, Enum):
            return option(value)
    if typing.get_origin(hint) is abc.Mapping:
        return {key: _attribute(item) for key, item in value.items()}
    return value


_UNION = type(int | None)


def _attribute(value: Any) -> Any:
    """Routing attributes are str/int/bool or tuples of them; JSON lists come back as tuples."""
    return tuple(value) if isinstance(value, list) else value


def _build(cls: type[Any], data: dict[str, Any]) -> Any:
    hints = _hints(cls)
    kwargs = {
        field.name: _typed(hints[field.name], data[field.name])
        for field in dataclasses.fields(cls)
        if field.name in data
    }
    return cls(**kwargs)


def event_from_dict(data: dict[str, Any]) -> e.Event:
    cls = EVENT_TYPES[data["name"]]
    event: e.Event = _build(cls, data)
    return event


def command_from_dict(data: dict[str, Any]) -> Any:
    return _build(COMMAND_TYPES[data["type"]], data)
