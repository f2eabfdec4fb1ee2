"""Printable patient leaflets from Markdown health articles."""

__version__ = "0.1.0"
