"""What makes a leaflet the clinic's own: reference, version, review date, link and QR code."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from leaflets.article.codes import leaflet_codes
from leaflets.article.dates import add_months, format_date
from leaflets.article.links import front_matter_url
from leaflets.article.model import Article, article_slug, reference_number
from leaflets.article.translations import STALE
from leaflets.config.errors import LeafletError, one_line, reporter_for
from leaflets.config.labels import labels_for
from leaflets.config.options import BuildOptions
from leaflets.config.profile import Profile
from leaflets.html.writing import left_to_right


@dataclass(frozen=True)
class ContactLine:
    """One line of the contact box: what it is, what it says, and where it links."""

    key: str
    label: str
    text: str
    href: str = ""


def online_address(article: Article, profile: Profile) -> str:
    """Where the article can be read online: its own `url`, else base_url + slug, else ''.

    A translation without its own `url` points to its source's page: the website has one
    address for an article, not one per language of the leaflet.
    """
    own = front_matter_url(article.meta, "url", reporter_for(article.path))
    if own:
        return own
    source = article.translation
    if source is not None:
        source_url = front_matter_url(source.source_meta, "url", reporter_for(source.source))
        if source_url:
            return source_url
    if not profile.leaflets.base_url:
        return ""
    slug = article_slug(source.source_meta, source.source) if source else article.slug
    return profile.leaflets.base_url.rstrip("/") + "/" + slug


def reference(article: Article, profile: Profile) -> str:
    """The leaflet reference, e.g. FYS-012 from id_prefix 'FYS' and front matter `id: 12`."""
    number = reference_number(shared_meta(article).get("id"), article.path)
    if not number:
        return ""
    prefix = profile.leaflets.id_prefix
    return f"{prefix}-{number}" if prefix else number


def version(article: Article) -> str:
    """The front matter `version`, as text, or ''."""
    value = shared_meta(article).get("version")
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return one_line(value)


def shared_meta(article: Article) -> dict[str, Any]:
    """The front matter that names the leaflet: a translation's source's, else its own."""
    return article.translation.source_meta if article.translation else article.meta


def review_date(article: Article, profile: Profile) -> dt.date | None:
    """The newest of datePublished and lastUpdated plus review_months, or None without dates."""
    newest = article.newest_date
    return add_months(newest, profile.leaflets.review_months) if newest else None


def check_review(
    article: Article, profile: Profile, options: BuildOptions, today: dt.date | None = None
) -> None:
    """Warn when the review date has passed; with --strict, refuse to build."""
    due = review_date(article, profile)
    if due is None or due >= (today or dt.date.today()):
        return
    if options.strict:
        raise LeafletError(article.path, f"{review_passed(due)} (--strict)")
    reporter_for(article.path)(review_passed(due))


def review_passed(due: dt.date) -> str:
    """What the editor is told of a review date that has passed."""
    return f"the review date {due.isoformat()} has passed; review the article and set 'lastUpdated'"


@functools.lru_cache(maxsize=256)
def qr_svg(url: str, alt: str) -> Markup:
    """A vector QR code for `url`, as inline SVG sized by CSS; its <title> is the alt text.

    segno draws the dark modules as one path. Kept per address: watch mode and the desk
    build the same leaflet again and again.
    """
    import segno

    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, dark="#000", light="#fff", omitsize=True, title=alt)
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))


def contact_lines(
    profile: Profile, labels: dict[str, Any], article: Article | None = None
) -> list[ContactLine]:
    """The clinic's contact details that are filled in, in the order a patient needs them."""
    clinic = profile.clinic
    hours = opening_hours(article, profile) if article else clinic.opening_hours
    lines = [
        ContactLine("phone", labels["phone"], clinic.phone, _tel(clinic.phone)),
        ContactLine("email", labels["email"], clinic.email, f"mailto:{clinic.email}"),
        ContactLine("website", labels["website"], _bare(clinic.website), clinic.website),
        ContactLine("address", labels["address"], clinic.address),
        ContactLine("opening_hours", labels["opening_hours"], hours),
    ]
    return [line for line in lines if line.text.strip()]


def opening_hours(article: Article, profile: Profile) -> str:
    """The opening hours in the article's language; the clinic's own, named in a warning,
    when clinic.toml gives them by language but not in this one."""
    clinic = profile.clinic
    if not clinic.opening_hours_by_language:
        return clinic.opening_hours
    found = clinic.opening_hours_in(article.language)
    if found is not None:
        return found
    reporter_for(article.path)(
        f"clinic.toml has no opening hours in '{article.language}'; "
        f"printing them in '{profile.leaflets.language}'"
    )
    return clinic.opening_hours


def identity_context(article: Article, profile: Profile) -> dict[str, Any]:
    """Everything about the leaflet's identity that the templates show."""
    labels = labels_for(article.language)
    address = online_address(article, profile)
    due = review_date(article, profile)
    ref, ver = reference(article, profile), version(article)
    return {
        "reference": ref,
        "version": ver,
        "footer_reference": reference_line(ref, ver, labels),
        "content_hash": f"sha256:{article.source_hash}",
        # In the PDF's information too: a leaflet whose codes change is a new PDF.
        "codes": " ".join(leaflet_codes(shared_meta(article))),
        "online_url": address,
        "online_url_text": left_to_right(_bare(address), labels),
        "qr": qr_svg(address, labels["qr_alt"].format(url=address)) if address else "",
        "next_review": format_date(due, article.language) if due else "",
        "next_review_iso": due.isoformat() if due else "",
        "contact": contact_lines(profile, labels, article),
        "logo_uri": profile.clinic.logo.resolve().as_uri() if profile.clinic.logo else "",
        "primary_color": profile.style.primary_color,
        "translated_from": translated_from(article, profile, labels),
    }


def translated_from(article: Article, profile: Profile, labels: dict[str, Any]) -> str:
    """'Translated from the Danish edition of 19 February 2025', for a stale translation."""
    translation = article.translation
    if translation is None or translation.state != STALE or article.newest_date is None:
        return ""
    language = source_language(article, profile)
    edition = labels["edition"].get(language.split("-")[0].lower(), labels["edition"]["other"])
    date = format_date(article.newest_date, article.language)
    return str(labels["translated_from"].format(edition=edition, date=date))


def source_language(article: Article, profile: Profile) -> str:
    """The language a translation was made from: its source's `lang`, else the clinic's."""
    assert article.translation is not None
    lang = article.translation.source_meta.get("lang")
    return lang.strip() if isinstance(lang, str) and lang.strip() else profile.leaflets.language


def reference_line(ref: str, ver: str, labels: dict[str, Any]) -> str:
    """'Ref. FYS-012 · version 3', as far as known."""
    parts = [
        f"{labels['reference']} {ref}" if ref else "",
        f"{labels['version']} {ver}" if ver else "",
    ]
    return " · ".join(part for part in parts if part)


def _tel(phone: str) -> str:
    digits = "".join(char for char in phone if char.isdigit() or char == "+")
    return f"tel:{digits}" if digits else ""


def _bare(url: str) -> str:
    """An address as people write it: without https:// and a trailing slash."""
    return re.sub(r"^https?://", "", url).rstrip("/")
