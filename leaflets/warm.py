"""Imported once by the worker fork server, so that every worker starts warm.

Only imports and the shared FontConfiguration: a warm-up layout here was measured to cost
the fork server more time than it saved the workers, which are long-lived anyway.
"""

import pikepdf  # noqa: F401 - the import is the point: every leaflet's check needs it
import weasyprint  # noqa: F401 - the import is the point: it is slow and shared

from . import runner  # noqa: F401 - what each worker runs, with everything it imports
from .pdf import font_configuration

font_configuration()
