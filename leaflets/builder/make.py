"""One article in, one leaflet out, in a worker: check, load, render, lay out, and stage the
files to write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from leaflets.article.assets import AssetRoots
from leaflets.article.model import Article, article_from_source, check_own_name
from leaflets.article.source import Source, load_source
from leaflets.builder.gather import leaflet_info
from leaflets.builder.info import LeafletInfo
from leaflets.builder.job import Job, asset_roots
from leaflets.builder.output import Staged, stage_file
from leaflets.config.defaults import STYLES_DIR
from leaflets.config.errors import LeafletError, reporter_for, warn
from leaflets.config.options import BuildOptions, Settled
from leaflets.config.profile import Profile
from leaflets.html.identity import check_review
from leaflets.pdf.archive import archive_ready
from leaflets.press.impose import blank_pages
from leaflets.press.paper import print_stylesheets
from leaflets.press.prepress import finish_pdf, generated_css, settle

if TYPE_CHECKING:
    from leaflets.checks.findings import Finding


@dataclass(frozen=True)
class Built:
    """A leaflet laid out and staged beside its target, waiting to be put in place."""

    info: LeafletInfo
    files: list[Staged]

    @property
    def target(self) -> Path:
        """Where the PDF goes."""
        return self.files[0].target


def stylesheets(profile: Profile, options: BuildOptions, personal: bool = False) -> list[Path]:
    """The stylesheets for a build, each taken from the theme when it has one of that name."""
    names = ["leaflet.css", "clinic.css", *print_stylesheets(options), "theme.css"]
    # Only a personal copy has a note, so every other leaflet stays as it was, byte for byte.
    names += ["note.css"] if personal else []
    return [themed_style(name, profile) for name in names]


def themed_style(name: str, profile: Profile) -> Path:
    """`styles/NAME`, or the theme's file of the same name."""
    if profile.style.theme is not None and (profile.style.theme / "styles" / name).is_file():
        return profile.style.theme / "styles" / name
    return STYLES_DIR / name


@dataclass(frozen=True)
class Prepared:
    """An article checked, loaded and rendered to HTML: all but the layout, for a worker."""

    job: Job
    article: Article
    html: str
    roots: AssetRoots
    options: Settled
    warnings: list[str] = field(default_factory=list)


def build_leaflet(job: Job, profile: Profile, options: BuildOptions) -> Built:
    """Lay out one leaflet and stage its files; nothing is in place unless every step worked."""
    return lay_out(prepare_leaflet(job, profile, options), profile)


def prepare_leaflet(job: Job, profile: Profile, options: BuildOptions) -> Prepared:
    """The steps before the layout, which need no WeasyPrint: checks, loading, the HTML."""
    # Jinja2 and Markdown load with the first leaflet to build, not when one is up to date.
    from leaflets.html.render import render_html

    options = as_settled(options, profile)
    source = read_and_check(job, profile)
    # The checks have reported what loading would warn about again.
    article = article_from_source(
        source, profile.leaflets.language, content_warnings=False, cleanup=profile.cleanup
    )
    check_own_name(job.source, article.slug)
    check_review(article, profile, options)
    roots = asset_roots(job.source, profile)
    html = render_html(article, profile, options, roots, job.personal)
    return Prepared(job, article, html, roots, options)


def as_settled(options: BuildOptions, profile: Profile) -> Settled:
    """The options as settled where the build started; the pool passes them on as it was
    given them, so a caller that starts at the pool itself gets them settled here."""
    return options if isinstance(options, Settled) else settle(options, profile)


def lay_out(prepared: Prepared, profile: Profile) -> Built:
    """Lay out a prepared leaflet and stage its files."""
    job, article, html, roots, options = (
        prepared.job,
        prepared.article,
        prepared.html,
        prepared.roots,
        prepared.options,
    )
    data, pages = render_pdf(article, html, roots, profile, options, bool(job.personal))
    info = leaflet_info(article, profile, pages)
    target = job.target_for(article.slug)
    files = [stage_file(target, data)]
    if options.write_html:
        files.append(stage_file(target.with_suffix(".html"), preview_html(html, profile, options)))
    return Built(info, files)


def read_and_check(job: Job, profile: Profile) -> Source:
    """The article, read and split once; the content checks' findings warned before the build.

    A personal copy is not checked again: its article was checked when it was built.
    """
    from leaflets.checks.run import check_source, check_unloadable
    from leaflets.checks.settings import check_settings

    try:
        source = load_source(job.source)
    except LeafletError as error:
        if job.personal is None:  # what can still be checked is said before the error
            settings = check_settings(profile)
            _warn(check_unloadable(job.source, error, settings, dt.date.today()))
        raise
    if job.personal is None:
        _warn(check_source(source, check_settings(profile), dt.date.today()))
    return source


def _warn(findings: list[Finding]) -> None:
    for finding in findings:
        if finding.rule != "load":  # the build itself reports what stops it
            warn(finding.warning_text())


def render_pdf(
    article: Article,
    html: str,
    roots: AssetRoots,
    profile: Profile,
    options: BuildOptions,
    personal: bool = False,
) -> tuple[bytes, int]:
    """PDF bytes for the article, checked for smuggled attachments, and its page count."""
    from leaflets.pdf.fit import fitted_pdf

    sheets = stylesheets(profile, options, personal)
    report = reporter_for(article.path)
    # The finisher has seen the PDF's objects: no need to parse the bytes again to check.
    data, written = fitted_pdf(
        html, sheets, generated_css(options), roots, options, report, private=personal
    )
    if written.embedded:
        found = ", ".join(written.embedded)
        raise LeafletError(article.path, f"the PDF would carry embedded files ({found})")
    notes = notes_page(article, profile, options, roots, written.pages)
    data = archive_ready(finish_pdf(data, options, notes), options)
    # Only imposing a booklet changes the count of pages.
    return data, page_count(data) if options.booklet else written.pages


def notes_page(
    article: Article, profile: Profile, options: BuildOptions, roots: AssetRoots, pages: int
) -> bytes | None:
    """A booklet's notes page, laid out when its last sheet has pages left over."""
    if not options.booklet or not blank_pages(pages):
        return None
    from leaflets.html.notes import notes_html
    from leaflets.pdf.engine import html_to_pdf

    sheets = [*stylesheets(profile, options), themed_style("notes-page.css", profile)]
    report = reporter_for(article.path)
    html = notes_html(article, profile)
    return html_to_pdf(html, sheets, generated_css(options), roots, options, report)


def page_count(data: bytes) -> int:
    """The number of pages (or booklet sheets' sides) in a finished PDF."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def preview_html(html: str, profile: Profile, options: BuildOptions) -> bytes:
    """The leaflet HTML with its stylesheets linked, for a browser preview."""
    links = "".join(
        f'<link rel="stylesheet" href="{path.resolve().as_uri()}">\n'
        for path in stylesheets(profile, options)
    )
    return html.replace("</head>", f"{links}</head>", 1).encode()
