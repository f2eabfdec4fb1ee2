"""The catalogue index: one printable list of every leaflet, each with a QR code to scan."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .article import Article, load_article
from .assets import AssetRoots
from .dates import add_months, format_date
from .defaults import LABELS_DIR, STYLES_DIR, TEMPLATES_DIR
from .errors import LeafletError, collect_warnings, warn
from .options import BuildOptions
from .output import write_atomically
from .profile import Profile

INDEX_NAME = "index.pdf"
# Danish letters sort after z, in the order æ ø å.
_DANISH_ORDER = str.maketrans({"æ": "z{", "ø": "z|", "å": "z}"})


@dataclass(frozen=True)
class IndexEntry:
    """One line of the index."""

    title: str
    reference: str
    review: str
    url: str
    qr: Markup | None


def reference_of(article: Article, profile: Profile) -> str:
    """The leaflet's reference: its `id`, else the clinic's prefix and the slug."""
    explicit = article.meta.get("id")
    if isinstance(explicit, (str, int)) and str(explicit).strip():
        return f"{profile.leaflets.id_prefix}{str(explicit).strip()}"
    return f"{profile.leaflets.id_prefix}{article.slug}"


def review_date(article: Article, profile: Profile) -> dt.date | None:
    """When the leaflet is due for review: its newest date plus the clinic's review period."""
    newest = article.newest_date
    return add_months(newest, profile.leaflets.review_months) if newest else None


def leaflet_url(pdf_name: str, profile: Profile) -> str:
    """Where a patient can fetch the leaflet, when the clinic publishes them online."""
    base = profile.leaflets.base_url.strip()
    return f"{base.rstrip('/')}/{pdf_name}" if base else ""


def qr_svg(url: str) -> Markup:
    """A vector QR code for `url`, sized by the stylesheet."""
    import segno

    code = segno.make(url, error="m", micro=False)
    return Markup(code.svg_inline(omitsize=True, border=2, light="#fff"))


def index_entry(source: Path, pdf: Path, profile: Profile) -> IndexEntry:
    """The index line for one built leaflet."""
    language = profile.leaflets.language
    with collect_warnings():  # the leaflet's own build has reported these already
        article = load_article(source, language)
    review = review_date(article, profile)
    url = leaflet_url(pdf.name, profile)
    return IndexEntry(
        title=article.title,
        reference=reference_of(article, profile),
        review=format_date(review, language) if review else "",
        url=url,
        qr=qr_svg(url) if url else None,
    )


def index_entries(leaflets: list[tuple[Path, Path]], profile: Profile) -> list[IndexEntry]:
    """Index lines for (article, PDF) pairs, in alphabetical order of title."""
    entries = []
    for source, pdf in leaflets:
        try:
            entries.append(index_entry(source, pdf, profile))
        except LeafletError as error:
            warn(f"left out of the index: {error}")
    return sorted(entries, key=lambda entry: entry.title.casefold().translate(_DANISH_ORDER))


@cache
def index_labels(language: str) -> dict[str, Any]:
    """The index's fixed texts in `language` (English when there are none)."""
    folder = LABELS_DIR / "catalogue"
    path = folder / f"{language.split('-')[0].lower()}.toml"
    with (path if path.is_file() else folder / "en.toml").open("rb") as handle:
        return tomllib.load(handle)


def index_html(entries: list[IndexEntry], profile: Profile) -> str:
    """The index page's HTML."""
    from .render import environment

    template = environment(profile).get_template("index.html.j2")
    return template.render(
        entries=entries,
        labels=index_labels(profile.leaflets.language),
        lang=profile.leaflets.language,
        clinic=profile.clinic,
        linked=bool(profile.leaflets.base_url.strip()),
    )


def build_index(leaflets: list[tuple[Path, Path]], folder: Path, profile: Profile) -> Path:
    """Write `folder/index.pdf` listing the given (article, PDF) pairs."""
    from .build import themed_style
    from .pdf import html_to_pdf

    html = index_html(index_entries(leaflets, profile), profile)
    roots = AssetRoots(content=folder, extra=(TEMPLATES_DIR, STYLES_DIR))
    data = html_to_pdf(
        html,
        [themed_style("index.css", profile)],
        roots,
        BuildOptions(),
        lambda message: warn(f"{folder / INDEX_NAME}: {message}"),
    )
    return write_atomically(folder / INDEX_NAME, data)
