"""The `print` command: build leaflets (or reuse up-to-date ones) and send them to CUPS."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from leaflets.cli.fhir import checked_fhir, fhir_options, give_fhir
from leaflets.cli.params import (
    booklet_option,
    clinic_option,
    in_language,
    lang_option,
    large_print_option,
    paper_option,
    personal_from,
    personal_options,
)
from leaflets.cli.record import give_record
from leaflets.config.errors import printable
from leaflets.config.options import BuildOptions, Limits, Personal

if TYPE_CHECKING:
    from leaflets.api import Pool, PrintRequest
    from leaflets.config.profile import Profile


@click.command("print")
@click.argument("names", nargs=-1, required=True)
@click.option(
    "--printer",
    default=None,
    help="CUPS queue (default: [print] printer in clinic.toml, else the CUPS default).",
)
@click.option(
    "--copies", type=click.IntRange(1, 999), default=1, show_default=True, help="Number of copies."
)
@paper_option
@booklet_option
@large_print_option
@clinic_option
@personal_options
@fhir_options
@lang_option
@click.option(
    "--content",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where names are looked up (default: content/).",
)
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder to keep the PDFs in (default: output/).",
)
def print_leaflet(names: tuple[str, ...], **params: Any) -> None:
    """Print leaflets on a CUPS printer: duplex, short-edge flip for booklets.

    NAMES are slugs, titles or article files; each is built first when it has changed.
    Several names print as one job, each leaflet starting on a new sheet, with one record line.

    \b
    Examples:
      make-leaflet print baekkensmerter --copies 20
      make-leaflet print knaesmerter knaeoevelser --patient "Anna"
      make-leaflet print Bækkensmerter --large-print --printer Reception
      make-leaflet print baekkensmerter --lang en
      make-leaflet print knaesmerter --note "Lav øvelserne morgen og aften" --patient "Anna"
      make-leaflet print baekkensmerter --fhir udlevering.json --patient-ref Patient/123
    """
    from leaflets.api import settle
    from leaflets.cli.build import command_pool
    from leaflets.config.profile import load_profile

    profile = load_profile(params["clinic"])
    checked_fhir(params)
    given = BuildOptions(
        paper=params["paper"], booklet=params["booklet"], large_print=params["large_print"]
    )
    options = settle(given, profile)
    with command_pool(Limits.default(), options, workers=1) as pool:
        _print_each(names, params, options, profile, pool)


def _print_each(
    names: tuple[str, ...],
    params: dict[str, Any],
    options: BuildOptions,
    profile: Profile,
    pool: Pool,
) -> None:
    """Find every leaflet first, so that a typo prints nothing at all; then print them."""
    from leaflets.api import find_leaflet
    from leaflets.api import print_leaflet as print_one

    personal = personal_from(params)
    found = [
        in_language(
            find_leaflet(name, params["content"], params["out"], pool), params["lang"], profile
        )
        for name in names
    ]
    sources = list(dict.fromkeys(found))  # a leaflet named twice is printed once
    if len(sources) > 1:
        _print_together(sources, params, options, profile, pool, personal)
        return
    receipt = print_one(
        sources[0],
        profile,
        params["copies"],
        params["printer"],
        options,
        personal,
        params["out"],
        pool=pool,
    )
    if receipt.kept is not None and not receipt.stale_since:
        click.echo(f"{'built' if receipt.rebuilt else 'up to date:'} {receipt.kept}")
    what = receipt.kept or f"a personal copy of {receipt.info.title!r}"
    how = describe(receipt.request)
    click.echo(printable(f"printing {what} on {receipt.queue}: job {receipt.job} ({how})"))
    give_record(receipt.record, params["journal_file"])
    give_fhir([receipt.handed], params, profile)


def _print_together(
    sources: list[Path],
    params: dict[str, Any],
    options: BuildOptions,
    profile: Profile,
    pool: Pool,
    personal: Personal | None,
) -> None:
    """Several leaflets as ONE job, each starting on a new sheet, with one record line."""
    from leaflets.api import BundleItem, print_bundle

    items = [BundleItem(source, options) for source in sources]
    receipt = print_bundle(
        items,
        profile,
        params["copies"],
        params["printer"],
        personal,
        params["out"],
        pool=pool,
    )
    assert receipt.request is not None
    what = f"{len(items)} leaflets ({receipt.pages} pages)"
    how = describe(receipt.request)
    click.echo(printable(f"printing {what} on {receipt.queue}: job {receipt.job} ({how})"))
    give_record(receipt.record, params["journal_file"])
    give_fhir(list(receipt.handed), params, profile)


def describe(request: PrintRequest) -> str:
    """'20 copies, A4, duplex long edge'."""
    copies = "1 copy" if request.copies == 1 else f"{request.copies} copies"
    edge = "short" if "short" in request.sides else "long"
    return f"{copies}, {request.media}, duplex {edge} edge"
