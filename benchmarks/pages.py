"""Page counts, blank space and type sizes of the shared corpus built as A4 leaflets.

Run with `make pages`. Builds every FysFinder article of the shared corpus with the project's
clinic profile into a temporary folder and prints what a print designer would count: sheets
of paper, space left blank at the bottom of a page, and the smallest type.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from tests.layout import blank_at_bottom, smallest_type  # noqa: E402

CORPUS = Path(os.environ.get("LEAFLETS_CORPUS", ROOT.parent / "shared" / "corpus"))
SITE = "davidbograd+fysfinder-next"
FOOTER_MM = 19  # the A4 page's bottom margin, where the running footer sits
GAP = 0.15  # a page (but the last) with more than this share blank at the bottom is a gap


def build(folder: Path, extra: list[str]) -> Path:
    """Every corpus article of the site, built into `folder`/out."""
    articles = folder / "articles"
    articles.mkdir()
    for article in sorted((CORPUS / SITE).glob("*.md")):
        (articles / article.name).symlink_to(article)
    clinic = folder / "clinic.toml"
    profile = (ROOT / "clinic.toml").read_text(encoding="utf-8")
    profile = profile.replace('logo = "', f'logo = "{ROOT}/').replace(
        'site_root = ""', f'site_root = "{CORPUS / SITE / "public"}"'
    )
    clinic.write_text(profile, encoding="utf-8")
    out = folder / "out"
    command = [sys.executable, str(ROOT / "make_leaflet.py"), "build", str(articles)]
    command += ["-o", str(out), "--clinic", str(clinic), "--force", *extra]
    subprocess.run(command, check=True, capture_output=True)
    return out


def report(out: Path) -> str:
    """The page-count distribution, the gaps and the smallest type, as Markdown."""
    pdfs = sorted(path for path in out.glob("*.pdf") if path.stem != "index")
    counts = Counter(len(PdfReader(path).pages) for path in pdfs)
    blanks = [share for path in pdfs for share in blank_at_bottom(path, FOOTER_MM)]
    gaps = sum(share > GAP for share in blanks)
    smallest = min(smallest_type(path) for path in pdfs)
    two = counts.get(1, 0) + counts.get(2, 0)
    lines = [
        f"{len(pdfs)} articles; on 2 A4 pages or fewer: {two} ({100 * two / len(pdfs):.0f}%)",
        "",
    ]
    lines += ["| pages | articles |", "|---:|---:|"]
    lines += [f"| {pages} | {counts[pages]} |" for pages in sorted(counts)]
    lines += [
        "",
        f"pages but the last with more than {GAP:.0%} blank at the bottom: {gaps} of {len(blanks)}"
        f" ({100 * gaps / max(len(blanks), 1):.0f}%); largest {max(blanks, default=0):.0%}",
        f"smallest character: {smallest:g} pt",
    ]
    return "\n".join(lines)


def main() -> None:
    if not (CORPUS / SITE).is_dir():
        raise SystemExit(f"the shared corpus is not at {CORPUS}")
    keep = os.environ.get("PAGES_KEEP")  # a folder to keep the build in, for a closer look
    with tempfile.TemporaryDirectory() as folder:
        work = Path(keep) if keep else Path(folder)
        work.mkdir(parents=True, exist_ok=True)
        print(report(build(work, sys.argv[1:])))


if __name__ == "__main__":
    main()
