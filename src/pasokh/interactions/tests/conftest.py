"""The interactions tests share the chat fixtures (a shop with a widget, a fresh router)."""

from pasokh.webchat.tests.conftest import _fresh_router, shop  # noqa: F401  (pytest fixtures)
