"""The catalogue index: one printable list of every leaflet, each with a QR code to scan."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from leaflets.article.assets import AssetRoots
from leaflets.article.codes import shown_codes
from leaflets.article.names import title_order
from leaflets.builder.info import LeafletInfo
from leaflets.builder.output import write_atomically
from leaflets.config.defaults import INDEX_NAME
from leaflets.config.errors import reporter_for
from leaflets.config.labels import labels_for
from leaflets.config.options import BuildOptions
from leaflets.config.profile import Profile


@dataclass(frozen=True)
class IndexEntry:
    """One line of the index: all it shows, in words; its QR code is drawn from `url`."""

    title: str
    reference: str
    review: str
    url: str
    qr_alt: str = ""
    languages: str = ""  # 'Dansk · English · Polski' when the leaflet has translations
    codes: str = ""  # 'L03, DM545'


def index_entry(info: LeafletInfo, languages: str, profile: Profile) -> IndexEntry:
    """The index line for one built leaflet, with the reference and QR code its leaflet shows."""
    # Here, not above: a build that finds its index up to date never loads the locale data.
    from leaflets.article.dates import format_date

    language = profile.leaflets.language
    alt = labels_for(language)["qr_alt"].format(url=info.online)
    return IndexEntry(
        title=info.title,
        # An article without an `id` goes by its slug, on the counter as in the output folder.
        reference=info.reference or info.slug,
        review=format_date(info.review, language) if info.review else "",
        url=info.online,
        qr_alt=alt if info.online else "",
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
    from leaflets.html.identity import qr_svg
    from leaflets.html.render import environment

    template = environment(profile).get_template("index.html.j2")
    return template.render(
        entries=entries,
        qr_codes={entry.url: qr_svg(entry.url, entry.qr_alt) for entry in entries if entry.url},
        labels=labels_for(profile.leaflets.language)["index"],
        lang=profile.leaflets.language,
        clinic=profile.clinic,
        primary_color=profile.style.primary_color,
        linked=any(entry.url for entry in entries),
    )


def index_pdf(entries: list[IndexEntry], folder: Path, profile: Profile) -> bytes:
    """The index of `folder` listing `entries`, as PDF (laid out in a worker)."""
    from leaflets.builder.job import style_folders
    from leaflets.builder.make import themed_style
    from leaflets.pdf.engine import html_to_pdf

    # The same folders as a leaflet's, so that a theme's own fonts and styles reach the index.
    roots = AssetRoots(content=folder, extra=style_folders(profile))
    return html_to_pdf(
        index_html(entries, profile),
        # The fonts of every script, for titles that are not in a Latin alphabet.
        [themed_style("index.css", profile), themed_style("scripts.css", profile)],
        [],
        roots,
        BuildOptions(),
        reporter_for(folder / INDEX_NAME),
    )


def write_index(folder: Path, data: bytes) -> Path:
    """Put `folder/index.pdf` in place."""
    return write_atomically(folder / INDEX_NAME, data)
