from pasokh.tickets.tests.fixtures import shop

__all__ = ["shop"]
