"""Imported once by the worker fork server, so that every worker starts warm.

Besides importing WeasyPrint, it lays out a small leaflet: that parses the stylesheet,
loads the fonts into the shared FontConfiguration and compiles the templates, so that no
worker forked from here repeats that work for its own article.
"""

import pikepdf  # noqa: F401 - the import is the point: every leaflet's check needs it
import weasyprint  # noqa: F401 - the import is the point: it is slow and shared

from . import runner  # noqa: F401 - what each worker runs, with everything it imports
from .pdf import font_configuration
from .warmup import warm_up

font_configuration()
warm_up()
