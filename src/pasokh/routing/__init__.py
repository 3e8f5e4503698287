"""The routing core: pure Python, no Django, no I/O, no clock of its own.

``engine.RoutingEngine.handle(command, now) -> list[Event]`` is the whole write surface;
``commands``, ``events`` and ``model`` hold its vocabulary, ``expressions`` the language queues
use to choose agents. See ``docs/routing.md``.
"""
