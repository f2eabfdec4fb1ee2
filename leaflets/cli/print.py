"""The `print` command: build a leaflet (or reuse an up-to-date one) and send it to CUPS."""

from __future__ import annotations

from pathlib import Path

import click

from leaflets.cli.params import booklet_option, clinic_option, large_print_option, paper_option
from leaflets.config.defaults import OUTPUT_DIR, shown
from leaflets.config.errors import LeafletError, collect_warnings
from leaflets.config.options import BuildOptions
from leaflets.config.profile import Profile, load_profile
from leaflets.deliver.cups import PrintRequest, ready_queue, submit
from leaflets.press.paper import CUPS_MEDIA, sheet_paper
from leaflets.press.prepress import settle_options


@click.command("print")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--printer", default=None, help="CUPS queue (default: the CUPS default printer).")
@click.option(
    "--copies", type=click.IntRange(1, 999), default=1, show_default=True, help="Number of copies."
)
@paper_option
@booklet_option
@large_print_option
@clinic_option
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Where to keep the PDF (default: output/<name>[-variant].pdf).",
)
@click.option("--force", is_flag=True, help="Rebuild the PDF even when it is up to date.")
@click.pass_context
def print_leaflet(
    ctx: click.Context,
    /,
    path: Path,
    printer: str | None,
    copies: int,
    clinic: Path,
    out: Path | None,
    force: bool,
    **layout: bool | str | None,
) -> None:
    """Print one article on a CUPS printer: duplex, short-edge flip for booklets."""
    from leaflets.cli.build import run_build

    if path.is_dir():
        raise LeafletError(path, "is a folder; print one article at a time")
    queue = ready_queue(printer)
    profile = load_profile(clinic)
    options = _settled(layout, profile)
    title, slug = _title_and_slug(path, profile)
    name = f"{slug}{variant_suffix(options)}.pdf"
    target = out / name if out is not None and out.is_dir() else out or shown(OUTPUT_DIR) / name
    # The build's manifest decides whether the PDF already there can be printed as it is.
    if run_build([path], target, clinic, options, force=force) != 0:
        ctx.exit(1)
    request = print_request(target, title, copies, options)
    job = submit(request, queue)
    click.echo(f"printing {target} on {queue}: job {job} ({describe(request)})")


def _settled(layout: dict[str, bool | str | None], profile: Profile) -> BuildOptions:
    paper = layout.get("paper")
    options = BuildOptions(
        paper=paper if isinstance(paper, str) else None,
        booklet=bool(layout.get("booklet")),
        large_print=bool(layout.get("large_print")),
    )
    return settle_options(options, profile)


def _title_and_slug(path: Path, profile: Profile) -> tuple[str, str]:
    from leaflets.article.model import load_article

    # The build reports the article's warnings; reading it here only names the PDF.
    with collect_warnings():
        article = load_article(path, profile.leaflets.language)
    return article.title, article.slug


def variant_suffix(options: BuildOptions) -> str:
    """'-a5', '-booklet', '-large-print' and so on: one PDF per way of printing."""
    sheet = sheet_paper(options).name
    parts = [] if sheet == "a4" else [sheet]
    parts += ["booklet"] if options.booklet else []
    parts += ["large-print"] if options.large_print else []
    return "".join(f"-{part}" for part in parts)


def print_request(target: Path, title: str, copies: int, options: BuildOptions) -> PrintRequest:
    """Duplex to match the layout: long-edge flip for leaflets, short-edge for booklets."""
    return PrintRequest(
        pdf=target,
        title=title,
        copies=copies,
        sides="two-sided-short-edge" if options.booklet else "two-sided-long-edge",
        media=CUPS_MEDIA[sheet_paper(options).name],
    )


def describe(request: PrintRequest) -> str:
    """'20 copies, A4, duplex long edge'."""
    copies = "1 copy" if request.copies == 1 else f"{request.copies} copies"
    edge = "short" if "short" in request.sides else "long"
    return f"{copies}, {request.media}, duplex {edge} edge"
