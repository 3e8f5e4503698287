"""The desk's tests share the chat fixtures (a started chat, sockets for both sides)."""

from pasokh.webchat.tests.conftest import _fresh_router, shop  # noqa: F401  (pytest fixtures)
