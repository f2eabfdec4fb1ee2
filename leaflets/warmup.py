"""A small leaflet laid out once per worker pool, so that the first real one starts warm."""

from __future__ import annotations

from pathlib import Path

from .assets import AssetRoots
from .build import stylesheets
from .errors import collect_warnings
from .options import BuildOptions
from .profile import Profile

# Every face and the kinds of block a leaflet has: bold, italic, lists, a table, a band.
WARM_UP_HTML = """<!doctype html><html lang="da"><head><meta charset="utf-8"><title>x</title>
</head><body><header class="band"><h1>Bækken</h1></header><div class="lede"><p>Æble</p></div>
<main><section class="section"><h2>Øvelser</h2><p><strong>fed</strong> <em>kursiv</em></p>
<ul><li>punkt</li></ul><table><tr><th>a</th><td>b</td></tr></table></section></main>
</body></html>"""


def warm_up(profile: Profile | None = None) -> None:
    """Render the warm-up leaflet and throw it away; a failure here only costs speed."""
    from .pdf import html_to_pdf, refuse_attachments

    profile = profile or Profile()
    options = BuildOptions()
    try:
        with collect_warnings():
            data = html_to_pdf(
                WARM_UP_HTML, stylesheets(profile, options), AssetRoots(), options, _ignore
            )
            refuse_attachments(data, Path("warm-up"))
    except Exception:
        pass


def _ignore(_message: str) -> None:
    pass
