"""Imported by every build worker before its memory ceiling, so that it starts warm: once by
the fork server of a pool that has one, or by each worker forked from the command.

Only imports, the shared FontConfiguration and the default templates compiled: a warm-up
layout here was measured to cost the fork server more time than it saved the workers, which
are long-lived anyway, and the fonts of our stylesheets are copied to a folder that belongs to
the process that loads them.
"""

# The imports are the point: they are slow and shared. The whole build stack is loaded here,
# so that a worker maps no new library under its memory ceiling, where a lazy import would
# fail with a baffling ImportError instead of a clear MemoryError. pikepdf is preloaded too
# when the build rewrites its PDFs (see `batch.build_pool`).
import datetime as dt

from leaflets.workers.libraries import libraries_from_loader_cache

# A fork server imports this module itself, not through the pool's set-up of a worker, so the
# quick lookup of WeasyPrint's libraries is made here as well.
with libraries_from_loader_cache():
    import pyphen  # type: ignore[import-untyped]
    import segno  # noqa: F401 - the QR codes
    import weasyprint  # noqa: F401
    from babel import dates  # noqa: F401
    from PIL import Image  # noqa: F401

    from leaflets.article import front_matter  # noqa: F401 - YAML, loaded lazily elsewhere
    from leaflets.article.dates import format_date
    from leaflets.builder import worker  # noqa: F401 - what each worker runs, and its imports
    from leaflets.checks import run  # noqa: F401 - the content checks every leaflet runs
    from leaflets.config.profile import Profile
    from leaflets.html.markup import markdown_to_html
    from leaflets.html.render import environment
    from leaflets.pdf.coverage import bundled_characters
    from leaflets.pdf.engine import font_configuration

font_configuration()
bundled_characters()  # the bundled fonts' character maps, read once for every worker
# Markdown finds its extensions through package metadata, once per process.
markdown_to_html("*warm*")
# Compiled once here rather than in every worker; a clinic theme's own are compiled on use. The
# email's are not: a message is written by the command that sends it, never in a worker.
_templates = environment(Profile())
for _name in _templates.list_templates(extensions=["j2"]):
    if not _name.startswith("email/"):
        _templates.get_template(_name)
# The locale data and hyphenation patterns of the default language are read once, too (only
# that one: the English patterns alone take longer to read than a leaflet to lay out).
format_date(dt.date(2000, 1, 1), Profile().leaflets.language)
pyphen.Pyphen(lang=Profile().leaflets.language)
