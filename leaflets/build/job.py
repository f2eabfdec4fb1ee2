"""One article in, one leaflet out: load, render, print to PDF, check, write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from leaflets.article.model import Article, load_article
from leaflets.article.assets import AssetRoots, article_roots
from leaflets.config.defaults import STYLES_DIR, TEMPLATES_DIR
from leaflets.config.errors import LeafletError, warn
from leaflets.html.identity import check_review
from leaflets.config.options import BuildOptions
from leaflets.build.output import write_atomically
from leaflets.press.paper import print_stylesheets
from leaflets.press.prepress import finish_pdf, settle_options
from leaflets.config.profile import Profile
from leaflets.html.render import render_html
from leaflets.article.source import find_articles


@dataclass(frozen=True)
class Job:
    """An article to build and where its PDF goes: a named file, or a folder."""

    source: Path
    target: Path | None = None
    folder: Path | None = None

    def target_for(self, slug: str) -> Path:
        """The PDF path; in a folder, the PDF is named by the article's slug."""
        if self.target is not None:
            return self.target
        assert self.folder is not None
        return self.folder / f"{slug}.pdf"


def plan_jobs(inputs: list[Path], out: Path | None, default_out: Path) -> list[Job]:
    """Pair each article with its PDF: OUT is a file for one input file, else a folder."""
    for path in inputs:
        if not path.exists():
            raise LeafletError(path, "no such file or folder")
    if len(inputs) == 1 and not inputs[0].is_dir() and out is not None and not out.is_dir():
        return [Job(inputs[0], target=out)]
    folder = out if out is not None else default_out
    return [Job(source, folder=folder) for path in inputs for source in find_articles(path)]


def asset_roots(source: Path, profile: Profile) -> AssetRoots:
    """The folders this article may read: its content folder, ours, the theme's, the site's."""
    extra = [TEMPLATES_DIR, STYLES_DIR]
    if profile.style.theme is not None:
        extra.append(profile.style.theme)
    if profile.clinic.logo is not None:
        extra.append(profile.clinic.logo)  # the logo file alone, not the folder it is in
    return article_roots(source, profile.leaflets.site_root, tuple(extra))


def stylesheets(profile: Profile, options: BuildOptions) -> list[Path]:
    """The stylesheets for a build, each taken from the theme when it has one of that name."""
    names = ["leaflet.css", "clinic.css", *print_stylesheets(options), "theme.css"]
    return [themed_style(name, profile) for name in names]


def themed_style(name: str, profile: Profile) -> Path:
    """`styles/NAME`, or the theme's file of the same name."""
    if profile.style.theme is not None and (profile.style.theme / "styles" / name).is_file():
        return profile.style.theme / "styles" / name
    return STYLES_DIR / name


def build_leaflet(job: Job, profile: Profile, options: BuildOptions) -> Path:
    """Build one leaflet; nothing is written unless every step succeeded."""
    options = settle_options(options, profile)
    article = load_article(
        job.source, profile.leaflets.language, content_warnings=not options.content_checked
    )
    check_review(article, profile, options)
    roots = asset_roots(job.source, profile)
    html = render_html(article, profile, options, roots)
    data = render_pdf(article, html, roots, profile, options)
    target = job.target_for(article.slug)
    if options.write_html:
        write_atomically(target.with_suffix(".html"), preview_html(html, profile, options))
    return write_atomically(target, data)


def render_pdf(
    article: Article, html: str, roots: AssetRoots, profile: Profile, options: BuildOptions
) -> bytes:
    """PDF bytes for the article, checked for smuggled attachments."""
    from leaflets.pdf.engine import refuse_attachments
    from leaflets.pdf.fit import fitted_pdf

    def report(message: str) -> None:
        warn(f"{article.path}: {message}")

    data = fitted_pdf(html, stylesheets(profile, options), roots, options, report)
    refuse_attachments(data, article.path)
    return finish_pdf(data, options)


def preview_html(html: str, profile: Profile, options: BuildOptions) -> bytes:
    """The leaflet HTML with its stylesheets linked, for a browser preview."""
    links = "".join(
        f'<link rel="stylesheet" href="{path.resolve().as_uri()}">\n'
        for path in stylesheets(profile, options)
    )
    return html.replace("</head>", f"{links}</head>", 1).encode()
