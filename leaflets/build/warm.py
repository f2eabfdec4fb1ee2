"""Imported once by the worker fork server, so that every worker starts warm.

Only imports and the shared FontConfiguration: a warm-up layout here was measured to cost
the fork server more time than it saved the workers, which are long-lived anyway.
"""

# The imports are the point: they are slow and shared. The whole build stack is loaded here,
# so that a worker maps no new library under its memory ceiling, where a lazy import would
# fail with a baffling ImportError instead of a clear MemoryError.
import pikepdf  # noqa: F401
import weasyprint  # noqa: F401
from PIL import Image  # noqa: F401

from leaflets.build import pool, worker  # noqa: F401 - what each worker runs, with everything it imports
from leaflets.html.markup import markdown_to_html
from leaflets.pdf.coverage import bundled_characters
from leaflets.pdf.engine import font_configuration

font_configuration()
bundled_characters()  # the bundled fonts' character maps, read once for every worker
# Markdown finds its extensions through package metadata, once per process.
markdown_to_html("*warm*")
