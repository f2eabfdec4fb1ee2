"""Article and profile to leaflet HTML, through Jinja2 templates (content is never a template)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from leaflets.article.assets import AssetRoots
from leaflets.article.dates import format_date
from leaflets.article.links import front_matter_image, web_url
from leaflets.article.model import Article
from leaflets.article.structure import Block
from leaflets.config.defaults import TEMPLATES_DIR
from leaflets.config.errors import one_line, reporter_for
from leaflets.config.labels import labels_for
from leaflets.config.options import BuildOptions, Personal
from leaflets.config.profile import Profile
from leaflets.html.also import also_available
from leaflets.html.headings import consecutive_headings
from leaflets.html.identity import identity_context, online_address
from leaflets.html.markup import render_markdown
from leaflets.html.printed import hyphenate_exceptions, keep_last_words, spell_out_links
from leaflets.html.tables import Room, paper_tables, table_room
from leaflets.html.writing import writing_context


@dataclass(frozen=True)
class SectionView:
    """One section ready for the template."""

    heading: str
    html: Markup


@dataclass(frozen=True)
class QuestionView:
    """One FAQ entry ready for the template."""

    question: str
    answer: Markup


def template_dirs(profile: Profile) -> list[Path]:
    """Template folders, the clinic theme's first so that its files override ours."""
    dirs = [TEMPLATES_DIR]
    if profile.style.theme is not None:
        dirs.insert(0, profile.style.theme / "templates")
    return dirs


def environment(profile: Profile) -> jinja2.Environment:
    """A Jinja environment that escapes everything and fails on unknown names."""
    return _environment(tuple(str(path) for path in template_dirs(profile)))


@cache
def _environment(dirs: tuple[str, ...]) -> jinja2.Environment:
    # One per process: compiled templates are kept, and reloaded when their file changes.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(dirs)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = css_string
    env.filters["web_url"] = web_url
    env.filters["keep_last_words"] = keep_last_words
    return env


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string that is safe inside a <style> element."""
    escaped = "".join(_css_char(char) for char in str(text))
    return Markup(f'"{escaped}"')


def _css_char(char: str) -> str:
    if char.isalnum() or char in " .,:;-–·/()":
        return char
    return f"\\{ord(char):x} "


def render_html(
    article: Article,
    profile: Profile,
    options: BuildOptions,
    roots: AssetRoots,
    personal: Personal | None = None,
) -> str:
    """The complete leaflet HTML for one article, with the therapist's note on a personal copy."""
    template = environment(profile).get_template("leaflet.html.j2")
    context = leaflet_context(article, profile, options, roots)
    html = template.render(**context, personal=personal if personal else None)
    return consecutive_headings(html)


def leaflet_context(
    article: Article, profile: Profile, options: BuildOptions, roots: AssetRoots
) -> dict[str, Any]:
    """Everything the leaflet template may use."""
    labels = labels_for(article.language)
    to_html = _markdown_renderer(
        article, roots, online_address(article, profile), table_room(options)
    )
    return {
        "article": article,
        "meta": article.meta,
        "lang": article.language,
        "title": article.title,
        "labels": labels,
        "profile": profile,
        "clinic": profile.clinic,
        "options": options,
        "lede": to_html(article.outline.lede),
        "sections": [
            SectionView(block.heading, to_html(block)) for block in article.outline.sections
        ],
        "faq_title": article.outline.faq.heading if article.outline.faq else labels["faq_title"],
        "faq": [QuestionView(entry.question, to_html(entry.answer)) for entry in article.faq],
        "dates": printed_dates(article, labels),
        "footer_dates": footer_date(printed_dates(article, labels)),
        "page_of": page_label_parts(labels["page_of"]),
        "subject": subject(article, labels),
        "keywords": keywords(article.meta.get("keywords")),
        "created": _w3c(article.published or article.newest_date),
        "modified": _w3c(article.newest_date),
        "identity": identity_context(article, profile),
        "also_available": also_available(
            article, labels, options.large_print, profile.leaflets.language
        ),
        "writing": writing_context(labels),
        **front_matter_links(article, roots),
    }


def front_matter_links(article: Article, roots: AssetRoots) -> dict[str, str]:
    """The front matter's `image`, checked: templates never see it unchecked.

    Its `url` is checked where the leaflet's online address is worked out (identity.py).
    """
    report = _reporter(article)
    return {
        "page_image": front_matter_image(article.meta, "image", article.path.parent, roots, report),
    }


def _markdown_renderer(
    article: Article, roots: AssetRoots, own_address: str, room: Room | None
) -> Any:
    def to_html(part: Block | str) -> Markup:
        text = part.text if isinstance(part, Block) else part
        html = render_markdown(text, article.path.parent, roots, _reporter(article), article.path)
        printed = paper_tables(spell_out_links(html, own_address), room)
        return Markup(hyphenate_exceptions(printed, article.language))

    return to_html


def _reporter(article: Article) -> Any:
    return reporter_for(article.path)


def printed_dates(article: Article, labels: dict[str, Any]) -> list[str]:
    """'Udgivet 19. februar 2025', 'Senest opdateret 3. marts 2025', as far as known.

    An update on or before the publication day cannot be true as printed, so the patient
    reads one date, the newest, as 'Opdateret …'; `check` still tells the editor (date-order).
    """
    published, updated = article.published, article.updated
    if published and updated and updated <= published:
        return [f"{labels['updated_once']} {format_date(published, article.language)}"]
    known = (("published", published), ("updated", updated))
    return [f"{labels[key]} {format_date(day, article.language)}" for key, day in known if day]


def footer_date(dates: list[str]) -> str:
    """The newest of the printed dates: the footer has room for one line in every edition."""
    return dates[-1] if dates else ""


def page_label_parts(pattern: str) -> tuple[str, str, str]:
    """'Side {page} af {pages}' cut into the words around the two page counters."""
    before, rest = pattern.split("{page}", 1)
    between, after = rest.split("{pages}", 1)
    return before, between, after


def subject(article: Article, labels: dict[str, Any]) -> str:
    """The PDF's subject: the page's metaTitle without the call to action that ends it."""
    text = _text_value(article.meta.get("metaTitle"))
    for tail in labels.get("seo_tails", []):
        if text.casefold().endswith(tail.casefold()):
            text = text[: -len(tail)].rstrip(" –-|→.")
    return text or article.title


def keywords(value: object) -> str:
    """Front-matter keywords as one comma-separated string."""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return _text_value(value)


def _text_value(value: object) -> str:
    return one_line(value) if isinstance(value, (str, int, float)) else ""


def _w3c(day: dt.date | None) -> str:
    return f"{day.isoformat()}T00:00:00Z" if day else ""
