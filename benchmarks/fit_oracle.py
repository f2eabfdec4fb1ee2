"""Every density step of every article laid out, to judge the step fitting chose.

`make pages` asks, for each leaflet: could a tighter step have saved a sheet it still takes,
and was it laid out tighter than the gentlest step giving its sheet count without leaving the
contact panel alone on the last page (in its full or its compact form), or a page before the
last blank at its foot? It also counts the
layouts the real fitting makes (`fitted_pdf`, its every call to WeasyPrint's layout counted):
the search for a sheet to save, for a last page not left to the contact panel alone, and for
no word broken across a page turn.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pikepdf

from leaflets.builder.job import Job
from leaflets.builder.make import prepare_leaflet, stylesheets
from leaflets.config.errors import collect_warnings
from leaflets.config.options import BuildOptions
from leaflets.config.profile import Profile
from leaflets.pdf import fit
from leaflets.pdf.closing import COMPACT, closing_alone
from leaflets.pdf.engine import render_document
from leaflets.pdf.fit import DENSITY_KEY, sheets, with_layout
from leaflets.press.prepress import generated_css

STEPS = (0, 1, 2, 3)


@dataclass(frozen=True)
class Judged:
    """One leaflet: the step and sheets fitting gave it, the gentlest step giving the fewest
    sheets, each step's sheets, the steps that leave the panel alone in both its forms, the
    steps that leave a page before the last unfinished, and the layouts fitting made."""

    name: str
    chosen: int
    chosen_sheets: int
    best: int
    sheets: dict[int, int]
    alone: frozenset[int]
    unfinished: frozenset[int]
    layouts: int

    @property
    def could_save(self) -> bool:
        return self.chosen_sheets > self.sheets[self.best]

    @property
    def too_tight(self) -> bool:
        fine = [step for step in STEPS if self.sheets[step] == self.chosen_sheets]
        # No step gives those sheets when the compact panel saved one: nothing gentler would.
        whole = [step for step in fine if step not in self.alone] or fine
        # A page left blank at its foot is worth a tighter step of the same sheets, when one
        # has none.
        whole = [step for step in whole if step not in self.unfinished] or whole
        gentlest = min(whole, default=self.chosen)
        return self.chosen > gentlest


def judge(article: Path, profile: Profile, options: BuildOptions) -> Judged:
    """Lay `article` out at every step and judge what fitting does with it."""
    with collect_warnings():
        prepared = prepare_leaflet(Job(article, target=Path("unused.pdf")), profile, options)
        sheets_ = stylesheets(profile, prepared.options)
        counted: dict[int, int] = {}
        alone: set[int] = set()
        unfinished: set[int] = set()
        for step in STEPS:
            lone: list[bool] = []
            for classes in ((), (COMPACT,)):
                document = render_document(
                    with_layout(prepared.html, (step, classes)),
                    sheets_,
                    generated_css(prepared.options),
                    prepared.roots,
                    prepared.options,
                    lambda _message: None,
                )
                counted.setdefault(step, sheets(len(document.pages), prepared.options))
                if not classes and fit.unfinished(document, prepared.options):
                    unfinished.add(step)
                lone.append(closing_alone(document))
                if prepared.options.booklet:
                    break
            if all(lone):
                alone.add(step)
        with mock.patch.object(fit, "render_document", wraps=render_document) as layouts:
            data, _written = fit.fitted_pdf(
                prepared.html,
                sheets_,
                generated_css(prepared.options),
                prepared.roots,
                prepared.options,
                lambda _message: None,
            )
    best = min(STEPS, key=lambda step: (counted[step], step))
    chosen, pages = density_and_pages(data)
    return Judged(
        article.name,
        chosen,
        sheets(pages, prepared.options),
        best,
        counted,
        frozenset(alone),
        frozenset(unfinished),
        layouts.call_count,
    )


def density_and_pages(data: bytes) -> tuple[int, int]:
    """The density step a finished PDF records, and its pages."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return int(str(pdf.docinfo[f"/{DENSITY_KEY}"])), len(pdf.pages)
