"""Print production around the PDF: options settled before, bleed and imposition after."""

from __future__ import annotations

from dataclasses import asdict, replace

from leaflets.config.errors import LeafletError
from leaflets.config.options import DEFAULT_PAPER, BuildOptions, Settled
from leaflets.config.profile import Profile
from leaflets.press.bleed import bleed_css, bleed_mm, check_bleed, exact_bleed_boxes
from leaflets.press.paper import sheet_paper


def settle(options: BuildOptions, profile: Profile) -> Settled:
    """The build's options with the paper and fitting decided (as given, else as clinic.toml
    says, else A4 and fitted) and impossible combinations refused."""
    if isinstance(options, Settled):
        return options  # settled where the command or call started
    house = profile.print.format or DEFAULT_PAPER
    bleed = bleed_mm(options)
    decided = {
        "paper": options.paper or house,
        "fit": profile.print.fit if options.fit is None else options.fit,
        # One spelling of one bleed: '--crop-marks' and '--bleed 0.3cm --crop-marks' make the
        # same PDF as '--bleed 3mm --crop-marks', and so are the same edition.
        "bleed": None if bleed is None else f"{bleed:g}mm",
    }
    settled = Settled(**{**asdict(options), **decided}, house_paper=house)
    refuse_impossible(settled)
    return settled


def refuse_impossible(options: BuildOptions) -> None:
    """LeafletError for options that cannot go together, whatever the clinic's profile says."""
    check_bleed(options)
    if options.booklet and options.pdfa:
        raise LeafletError(None, "--pdfa is for archiving the leaflet, not an imposed booklet")


def reading_edition(options: BuildOptions) -> BuildOptions:
    """The edition a patient reads on a screen: a booklet's A5 pages in reading order, tagged
    for assistive technology, never the imposed sheets, which are only for a printer."""
    if not options.booklet:
        return options
    return replace(options, booklet=False, paper="a5")


def generated_css(options: BuildOptions) -> list[str]:
    """Page rules that depend on values given on the command line."""
    css = bleed_css(options)
    return [css] if css else []


def rewrites_pdf(options: BuildOptions) -> bool:
    """Whether the PDF is opened again (with pikepdf): for bleed boxes, a booklet or an archive
    copy."""
    return options.booklet or bleed_mm(options) is not None or options.pdfa


def finish_pdf(data: bytes, options: BuildOptions, notes: bytes | None = None) -> bytes:
    """The rendered PDF made ready for its printer: exact bleed boxes, or imposed as a booklet
    (with the notes page, if given, on the pages left over)."""
    data = exact_bleed_boxes(data, options)
    if options.booklet:
        from leaflets.press.impose import impose_booklet

        data = impose_booklet(data, sheet_paper(options).landscape, notes=notes)
    return data
