"""The catalogue index: one printable list of every leaflet, each with a QR code to scan."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from leaflets.article.assets import AssetRoots
from leaflets.article.codes import shown_codes
from leaflets.article.dates import format_date
from leaflets.article.names import title_order
from leaflets.builder.info import LeafletInfo
from leaflets.builder.output import write_atomically
from leaflets.config.errors import reporter_for
from leaflets.config.labels import labels_for
from leaflets.config.options import BuildOptions
from leaflets.config.profile import Profile
from leaflets.html.identity import qr_svg

INDEX_NAME = "index.pdf"


@dataclass(frozen=True)
class IndexEntry:
    """One line of the index."""

    title: str
    reference: str
    review: str
    url: str
    qr: Markup | None
    languages: str = ""  # 'Dansk · English · Polski' when the leaflet has translations
    codes: str = ""  # 'L03, DM545'


def index_entry(info: LeafletInfo, languages: str, profile: Profile) -> IndexEntry:
    """The index line for one built leaflet, with the reference and QR code its leaflet shows."""
    language = profile.leaflets.language
    alt = labels_for(language)["qr_alt"].format(url=info.online)
    return IndexEntry(
        title=info.title,
        # An article without an `id` goes by its slug, on the counter as in the output folder.
        reference=info.reference or info.slug,
        review=format_date(info.review, language) if info.review else "",
        url=info.online,
        qr=qr_svg(info.online, alt) if info.online else None,
        languages=languages,
        codes=shown_codes(info.codes),
    )


def index_entries(leaflets: list[tuple[LeafletInfo, Path]], profile: Profile) -> list[IndexEntry]:
    """Index lines for (info, PDF) pairs, one per leaflet with its translations, by title."""
    groups: dict[str, list[LeafletInfo]] = {}
    for info, _pdf in leaflets:
        groups.setdefault(info.translation_of or info.slug, []).append(info)
    entries = [index_entry(*_original_and_languages(group), profile) for group in groups.values()]
    return sorted(entries, key=lambda entry: title_order(entry.title))


def _original_and_languages(group: list[LeafletInfo]) -> tuple[LeafletInfo, str]:
    """The leaflet a group of translations comes from, and its languages by their own names."""
    ordered = sorted(group, key=lambda info: (bool(info.translation_of), info.language))
    if len(ordered) == 1:
        return ordered[0], ""
    names = [str(labels_for(info.language)["language_name"]) for info in ordered]
    return ordered[0], " · ".join(names)


def index_html(entries: list[IndexEntry], profile: Profile) -> str:
    """The index page's HTML."""
    from leaflets.html.render import environment

    template = environment(profile).get_template("index.html.j2")
    return template.render(
        entries=entries,
        labels=labels_for(profile.leaflets.language)["index"],
        lang=profile.leaflets.language,
        clinic=profile.clinic,
        primary_color=profile.style.primary_color,
        linked=any(entry.url for entry in entries),
    )


def build_index(leaflets: list[tuple[LeafletInfo, Path]], folder: Path, profile: Profile) -> Path:
    """Write `folder/index.pdf` listing the given (info, PDF) pairs."""
    from leaflets.builder.job import style_folders
    from leaflets.builder.make import themed_style
    from leaflets.pdf.engine import html_to_pdf

    html = index_html(index_entries(leaflets, profile), profile)
    # The same folders as a leaflet's, so that a theme's own fonts and styles reach the index.
    roots = AssetRoots(content=folder, extra=style_folders(profile))
    data = html_to_pdf(
        html,
        # The fonts of every script, for titles that are not in a Latin alphabet.
        [themed_style("index.css", profile), themed_style("scripts.css", profile)],
        [],
        roots,
        BuildOptions(),
        reporter_for(folder / INDEX_NAME),
    )
    return write_atomically(folder / INDEX_NAME, data)
