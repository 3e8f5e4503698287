"""Pasokh (پاسخ): an open-source, Persian-first contact-center platform."""

__version__ = "0.1.0"
