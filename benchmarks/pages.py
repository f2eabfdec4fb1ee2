"""What a print designer counts on the shared corpus built as A4 leaflets, and on the example.

Run with `make pages`. Builds every FysFinder article of the shared corpus with the project's
clinic profile into a temporary folder and prints each figure of benchmarks/PAGES.md: sheets of
paper, how well fitting chose, space left blank at the foot of a page, a last page holding only
the contact panel, furniture on two lines, marks near the paper's edge, characters per line,
dates, raw Markdown, tables past the text area and the smallest type. Furniture is also
counted on the example and the longest corpus titles in every edition and language.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from benchmarks import page_figures as figures  # noqa: E402
from benchmarks.fit_oracle import Judged, judge  # noqa: E402
from leaflets.config.options import BuildOptions  # noqa: E402
from leaflets.config.profile import load_profile  # noqa: E402
from tests.layout import blank_at_bottom, panel_only_last_page, smallest_type  # noqa: E402

CORPUS = Path(os.environ.get("LEAFLETS_CORPUS", ROOT.parent / "shared" / "corpus"))
SITE = "davidbograd+fysfinder-next"
FOOTER_MM = 19  # the A4 page's bottom margin, where the running footer sits
GAP = 0.15  # a page (but the last) with more than this share blank at the bottom is a gap


def build(folder: Path, extra: list[str]) -> Path:
    """Every corpus article of the site, built into `folder`/out with its HTML beside it."""
    articles = folder / "articles"
    articles.mkdir()
    for article in sorted((CORPUS / SITE).glob("*.md")):
        (articles / article.name).symlink_to(article)
    return build_folder(articles, folder / "out", clinic_file(folder), extra)


def clinic_file(folder: Path) -> Path:
    """The project's clinic profile, its paths made absolute, in `folder`."""
    clinic = folder / "clinic.toml"
    if not clinic.exists():
        profile = (ROOT / "clinic.toml").read_text(encoding="utf-8")
        profile = profile.replace('logo = "', f'logo = "{ROOT}/').replace(
            'site_root = ""', f'site_root = "{CORPUS / SITE / "public"}"'
        )
        clinic.write_text(profile, encoding="utf-8")
    return clinic


def build_folder(articles: Path, out: Path, clinic: Path, extra: list[str]) -> Path:
    """The articles of `articles` built into `out`, each with its HTML."""
    command = [sys.executable, str(ROOT / "make_leaflet.py"), "build", str(articles)]
    command += ["-o", str(out), "--clinic", str(clinic), "--force", "--html", *extra]
    subprocess.run(command, check=True, capture_output=True)
    return out


def leaflets_in(out: Path) -> list[Path]:
    return sorted(path for path in out.glob("*.pdf") if path.stem != "index")


def report(out: Path) -> str:
    """The page-count distribution, the gaps and what each page shows, as Markdown."""
    pdfs = leaflets_in(out)
    counts = Counter(len(PdfReader(path).pages) for path in pdfs)
    blanks = [share for path in pdfs for share in blank_at_bottom(path, FOOTER_MM)]
    gaps = sum(share > GAP for share in blanks)
    two = counts.get(1, 0) + counts.get(2, 0)
    lines = [
        f"{len(pdfs)} articles; on 2 A4 pages or fewer: {two} ({100 * two / len(pdfs):.1f}%)",
        "",
    ]
    lines += ["| pages | articles |", "|---:|---:|"]
    lines += [f"| {pages} | {counts[pages]} |" for pages in sorted(counts)]
    lengths = [length for path in pdfs for length in figures.body_line_lengths(path)]
    lines += [
        "",
        f"pages but the last with more than {GAP:.0%} blank at the bottom: {gaps} of {len(blanks)}"
        f" ({100 * gaps / max(len(blanks), 1):.1f}%); largest {max(blanks, default=0):.0%}",
        counted("last pages holding only the contact panel", pdfs, panel_only_last_page),
        listed("pages with a header or footer on two lines", pdfs, figures.two_line_furniture),
        listed("pages with a mark within 5 mm of the paper's edge", pdfs, figures.marks_near_edge),
        f"characters per full body line: median {statistics.median(lengths):g} "
        f"(quartiles {quartiles(lengths)}; {len(lengths)} lines)",
        counted("leaflets printing dates in an impossible order", pdfs, figures.impossible_dates),
        listed("words hyphenated across a page turn", pdfs, figures.hyphens_at_turns),
        listed("pages showing raw Markdown or a code block", pdfs, figures.raw_markdown),
        listed("pages with a table past the text area", pdfs, figures.past_text_area),
        f"smallest character: {min(smallest_type(path) for path in pdfs):g} pt",
    ]
    return "\n".join(lines)


def counted(what: str, pdfs: list[Path], test: Callable[[Path], bool]) -> str:
    found = [path.stem for path in pdfs if test(path)]
    return f"{what}: {len(found)}" + (f" ({', '.join(found)})" if found else "")


def listed(what: str, pdfs: list[Path], find: Callable[[Path], list[str]]) -> str:
    found = [item for path in pdfs for item in find(path)]
    shown = ", ".join(found[:8]) + (" …" if len(found) > 8 else "")
    return f"{what}: {len(found)}" + (f" ({shown})" if found else "")


def quartiles(values: list[int]) -> str:
    low, _middle, high = statistics.quantiles(values, n=4)
    return f"{low:g}-{high:g}"


def fit_report(articles: Path, clinic: Path) -> str:
    """How fitting chose, against every step of every article laid out."""
    profile = load_profile(clinic)
    judged: list[Judged] = [judge(path, profile, BuildOptions()) for path in md_files(articles)]
    saves = [item.name for item in judged if item.could_save]
    tight = [f"{item.name} ({item.chosen} for {item.best})" for item in judged if item.too_tight]
    layouts = sum(item.layouts for item in judged) / len(judged)
    return "\n".join(
        [
            f"leaflets that could save a sheet at another step: {len(saves)}"
            + (f" ({', '.join(saves)})" if saves else ""),
            f"leaflets tighter than the gentlest step giving their sheets: {len(tight)}"
            + (f" ({', '.join(tight)})" if tight else ""),
            f"layouts per leaflet: {layouts:.2f}",
        ]
    )


def md_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.md"))


# Every edition, in Danish; every language in A4 and large print, where furniture is widest.
EDITIONS = {
    "a4": [],
    "a5": ["--format", "a5"],
    "letter": ["--format", "letter"],
    "booklet": ["--booklet"],
    "large-print": ["--large-print"],
}
LANGUAGED = ("a4", "large-print")
LONGEST_TITLES = 3


def furniture_report(folder: Path) -> str:
    """Two-line furniture and marks near the edge on the example and the longest corpus titles,
    in every edition and, in A4 and large print, every language."""
    clinic = clinic_file(folder)
    danish, languages = furniture_articles(folder / "furniture")
    found: list[str] = []
    pdfs = 0
    for edition, flags in EDITIONS.items():
        sets = [danish, *languages] if edition in LANGUAGED else [danish]
        for articles in sets:
            out = build_folder(articles, folder / f"out-{edition}-{articles.name}", clinic, flags)
            built = leaflets_in(out)
            pdfs += len(built)
            found += [
                f"{edition}: {item}" for path in built for item in edition_faults(path, edition)
            ]
    shown = ", ".join(found[:8]) + (" …" if len(found) > 8 else "")
    return (
        f"editions and languages ({pdfs} PDFs): pages with furniture on two lines or a mark "
        f"within 5 mm of the edge: {len(found)}" + (f" ({shown})" if found else "")
    )


def edition_faults(path: Path, edition: str) -> list[str]:
    # A booklet's sheets carry two pages each; its pages' own furniture is read in A5.
    furniture = [] if edition == "booklet" else figures.two_line_furniture(path)
    return furniture + figures.marks_near_edge(path)


def furniture_articles(folder: Path) -> tuple[Path, list[Path]]:
    """The example and the corpus articles with the longest titles, in Danish and as copies
    in each other language of the label files."""
    danish = folder / "da"
    danish.mkdir(parents=True)
    corpus = sorted((CORPUS / SITE).glob("*.md"), key=title_length, reverse=True)
    for source in [ROOT / "content" / "baekkensmerter.md", *corpus[:LONGEST_TITLES]]:
        (danish / source.name).write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    languages = []
    for labels in sorted((ROOT / "leaflets" / "labels").glob("*.toml")):
        if labels.stem == "da":
            continue
        other = folder / labels.stem
        other.mkdir()
        for source in md_files(danish):
            text = source.read_text(encoding="utf-8")
            text = text.replace("---\n", f"---\nlang: {labels.stem}\n", 1)
            (other / source.name).write_text(text, encoding="utf-8")
        languages.append(other)
    return danish, languages


def title_length(path: Path) -> int:
    found = re.search(r"^title:\s*(.+)$", path.read_text("utf-8", "replace"), re.M)
    return len(found.group(1)) if found else 0


def main() -> None:
    if not (CORPUS / SITE).is_dir():
        raise SystemExit(f"the shared corpus is not at {CORPUS}")
    keep = os.environ.get("PAGES_KEEP")  # a folder to keep the build in, for a closer look
    with tempfile.TemporaryDirectory() as folder:
        work = Path(keep) if keep else Path(folder)
        work.mkdir(parents=True, exist_ok=True)
        out = build(work, sys.argv[1:])
        print(report(out), fit_report(work / "articles", clinic_file(work)), sep="\n")
        print(furniture_report(work))


if __name__ == "__main__":
    main()
