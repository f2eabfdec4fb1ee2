"""An article to build and where its PDF goes: the description a worker is handed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from leaflets.article.assets import AssetRoots, article_roots
from leaflets.article.files import find_articles
from leaflets.config.defaults import STYLES_DIR, TEMPLATES_DIR
from leaflets.config.errors import LeafletError
from leaflets.config.options import Personal
from leaflets.config.profile import Profile


@dataclass(frozen=True)
class Job:
    """An article to build and where its PDF goes: a named file, or a folder.

    A personal copy carries the therapist's note; it is built for one hand-out and never
    recorded anywhere.
    """

    source: Path
    target: Path | None = None
    folder: Path | None = None
    variant: str = ""
    personal: Personal | None = field(default=None, repr=False)

    def target_for(self, slug: str) -> Path:
        """The PDF path; in a folder, the PDF is named by the article's slug and variant."""
        if self.target is not None:
            return self.target
        assert self.folder is not None
        return self.folder / f"{slug}{self.variant}.pdf"


def plan_jobs(
    inputs: list[Path], out: Path | None, default_out: Path, variant: str = ""
) -> list[Job]:
    """Pair each article with its PDF: OUT is a file for one input file, else a folder."""
    for path in inputs:
        if not path.exists():
            raise LeafletError(path, "no such file or folder")
    single = len(inputs) == 1 and not inputs[0].is_dir()
    if out is not None and out.suffix.lower() == ".pdf" and not out.is_dir() and not single:
        raise LeafletError(out, "several leaflets go into a folder, not one PDF file")
    if single and out is not None and _names_a_file(out):
        return [Job(inputs[0], target=out, variant=variant)]
    folder = out if out is not None else default_out
    sources = [source for path in inputs for source in find_articles(path)]
    return [Job(source, folder=folder, variant=variant) for source in sources]


def _names_a_file(out: Path) -> bool:
    """`-o x.pdf` names a file; `-o folder` (existing, or without .pdf) names a folder."""
    return not out.is_dir() and out.suffix.lower() == ".pdf"


def asset_roots(source: Path, profile: Profile) -> AssetRoots:
    """The folders this article may read: its content folder, ours, the theme's, the site's."""
    return article_roots(source, profile.leaflets.site_root, style_folders(profile))


def style_folders(profile: Profile) -> tuple[Path, ...]:
    """Our templates and styles, the clinic theme's folder and its logo: every page reads them."""
    extra = [TEMPLATES_DIR, STYLES_DIR]
    if profile.style.theme is not None:
        extra.append(profile.style.theme)
    if profile.clinic.logo is not None:
        extra.append(profile.clinic.logo)  # the logo file alone, not the folder it is in
    return tuple(extra)
