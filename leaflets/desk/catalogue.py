"""The leaflets the desk offers: built with the warm pool, described, indexed for search.

The server process never reads an article's text itself: builds run in the workers of the
desk's one pool, and so do records and page images, under a time limit and a memory ceiling.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from leaflets.api import plan_catalogue
from leaflets.article.source import find_articles
from leaflets.builder.batch import build_pool, call_in
from leaflets.builder.manifest import file_digest
from leaflets.config.errors import LeafletError
from leaflets.config.options import BuildOptions, Limits
from leaflets.config.profile import Profile
from leaflets.deliver.handout import variant_suffix
from leaflets.desk.describe import PAGES_DIR_NAME, describe_leaflets, page_image_name
from leaflets.desk.records import LeafletRecord
from leaflets.desk.search import SearchIndex
from leaflets.press.prepress import settle_options
from leaflets.workers import Pool

DESCRIBE_BATCH = 25
DESCRIBE_TIMEOUT = 120.0
VARIANTS = ("standard", "large", "booklet")


def variant_options(variant: str) -> BuildOptions:
    """The build options of a printed edition."""
    return BuildOptions(large_print=variant == "large", booklet=variant == "booklet")


def desk_pool(limits: Limits) -> Pool:
    """The desk's one pool for its whole life, started now. The server runs threads, so its
    workers come from a fork server started clean, which loads the build stack (and pikepdf,
    for booklets and the records) once."""
    return build_pool(limits, BuildOptions(booklet=True), "forkserver").start()


@dataclass(frozen=True)
class Problem:
    """An article that could not be offered, and why."""

    source: str
    message: str


class Catalogue:
    """Every leaflet of the content folder, as built in the output folder."""

    def __init__(
        self, content: Path, output: Path, profile: Profile, limits: Limits | None = None
    ) -> None:
        self.content = content
        self.output = output
        self.profile = profile
        self.limits = limits or Limits(workers=2)
        self.pages_dir = output / PAGES_DIR_NAME
        self.index = SearchIndex(output)
        self.standard = settle_options(BuildOptions(), profile)
        self.pool = desk_pool(self.limits)
        self.problems: list[Problem] = []
        self._records: dict[str, LeafletRecord] = {}
        self._lock = threading.RLock()

    def close(self) -> None:
        """Stop the workers and close the index, once any drawing of pages is done."""
        with self._lock:
            self.pool.close()
            self.index.close()

    def refresh(self) -> list[Problem]:
        """Build what changed, describe what is new, and forget articles that are gone."""
        with self._lock:
            built, self.problems = self._build([self.content], BuildOptions())
            self._describe_changed(built, whole=True)
            return self.problems

    def refresh_when_added(self) -> None:
        """Start a refresh in the background when articles were added or removed."""
        try:
            present = {str(path) for path in find_articles(self.content)}
        except LeafletError:
            return
        known = {record.source for record in self._records.values()}
        known |= {problem.source for problem in self.problems}
        if present != known and self._lock.acquire(blocking=False):
            self._lock.release()
            threading.Thread(target=self.refresh, daemon=True).start()

    # Reading needs no lock: the table of records is replaced whole, never changed in place.
    def records(self) -> list[LeafletRecord]:
        """Every leaflet, alphabetically."""
        return sorted(self._records.values(), key=lambda record: record.sort_key)

    def find(self, query: str) -> list[LeafletRecord]:
        """The leaflets that match a search, best first."""
        records = self._records
        found = [records.get(slug) for slug in self.index.search(query)]
        return [record for record in found if record is not None]

    def record(self, slug: str) -> LeafletRecord | None:
        """The leaflet of a slug, as last described."""
        return self._records.get(slug)

    def current(self, slug: str) -> LeafletRecord | None:
        """The leaflet of a slug, rebuilt and described first when its article or PDF changed."""
        with self._lock:
            record = self._records.get(slug)
            if record is None or self._up_to_date(record):
                return record
            self._describe_changed(self._edition(record, "standard"))
            return self._records.get(slug)

    def prepare(self, slug: str, variant: str) -> LeafletRecord:
        """The leaflet, with the PDF of the edition to print built when it is not up to date.

        A changed leaflet goes to the printer as soon as it is built; its page pictures and
        search text are renewed afterwards.
        """
        with self._lock:
            record = self._records.get(slug)
            if record is None:
                raise LeafletError(None, f"no leaflet {slug!r}")
            changed = variant == "standard" and not self._up_to_date(record)
            built = self._edition(record, variant)
        if changed:
            threading.Thread(target=self._describe_later, args=(built,), daemon=True).start()
        return record

    def _edition(self, record: LeafletRecord, variant: str) -> list[tuple[Path, Path]]:
        source = Path(record.source)
        if not source.is_file():
            raise LeafletError(source, "the article is gone")
        built, problems = self._build([source], variant_options(variant))
        if problems or not built:
            raise LeafletError(None, problems[0].message if problems else "not built")
        return built

    def _describe_later(self, built: list[tuple[Path, Path]]) -> None:
        with self._lock:
            try:
                self._describe_changed(built)
            except LeafletError as error:
                self.problems.append(Problem(str(built[0][0]), str(error)))

    def pdf_path(self, slug: str) -> Path | None:
        """The standard PDF of a leaflet, when there is one."""
        record = self.record(slug)
        return self.output / record.pdf if record is not None else None

    def page_image(self, slug: str, page: int) -> Path | None:
        """The image of one page of a leaflet, when it has that page."""
        record = self.record(slug)
        if record is None or not 1 <= page <= record.pages:
            return None
        pdf_hash = record.key.rsplit(":", 1)[1]
        path = self.pages_dir / page_image_name(pdf_hash, page)
        return path if path.is_file() else None

    def _up_to_date(self, record: LeafletRecord) -> bool:
        text_hash, pdf_hash = record.key.split(":", 1)
        source = Path(record.source)
        return (
            file_digest(source) == text_hash and file_digest(self.output / record.pdf) == pdf_hash
        )

    def _build(
        self, inputs: list[Path], options: BuildOptions
    ) -> tuple[list[tuple[Path, Path]], list[Problem]]:
        """Build what is stale; return every (article, PDF) now up to date, and the failures.

        Each leaflet is built in a warm worker of the desk's pool.
        """
        settled = settle_options(options, self.profile)
        planned = plan_catalogue(
            inputs, self.output, self.profile, settled, self.limits, variant=variant_suffix(settled)
        )
        built: list[tuple[Path, Path]] = []
        problems: list[Problem] = []
        for outcome in planned.leaflets(self.pool):
            if outcome.ok and outcome.target is not None:
                built.append((outcome.job.source, outcome.target))
            else:
                message = outcome.error or "the leaflet was not built"
                problems.append(Problem(str(outcome.job.source), message))
        return built, problems

    def _describe_changed(self, built: list[tuple[Path, Path]], whole: bool = False) -> None:
        """Take records from the index where they are current; describe the rest in a worker."""
        known = {record.key: record for record in self.index.records()}
        fresh: dict[str, LeafletRecord] = {}
        todo: list[tuple[Path, Path]] = []
        for source, pdf in built:
            key = f"{file_digest(source)}:{file_digest(pdf)}"
            if key in known and known[key].source == str(source):
                fresh[known[key].slug] = known[key]
            else:
                todo.append((source, pdf))
        for start in range(0, len(todo), DESCRIBE_BATCH):
            fresh.update(self._describe(todo[start : start + DESCRIBE_BATCH]))
        self._records = fresh if whole else {**self._records, **fresh}
        self.index.keep_only(self._records)

    def _describe(self, pairs: list[tuple[Path, Path]]) -> dict[str, LeafletRecord]:
        described = call_in(
            self.pool,
            describe_leaflets,
            pairs,
            self.profile,
            self.pages_dir,
            timeout=DESCRIBE_TIMEOUT,
        )
        records = {}
        for (source, _pdf), result in zip(pairs, described, strict=True):
            if isinstance(result, LeafletRecord):
                records[result.slug] = result
            else:
                self.problems.append(Problem(str(source), result))
        self.index.put(records.values())
        return records
