"""Imported once by the worker fork server, so that every worker starts warm."""

import weasyprint  # noqa: F401 - the import is the point: it is slow and shared

from .pdf import font_configuration

font_configuration()
