"""The leaflets the desk offers: built with the warm pool, described, indexed for search.

The server process never reads an article's text itself: builds run in the workers of the
desk's one pool, and so do records and page images, under a time limit and a memory ceiling.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from pathlib import Path

from leaflets.api import (
    LeafletInfo,
    Pool,
    build_pool,
    call_in,
    file_digest,
    find_articles,
    list_catalogue,
    plan_catalogue,
    settle,
    variant_suffix,
)
from leaflets.config.errors import LeafletError
from leaflets.config.files import can_write_in
from leaflets.config.options import BuildOptions, Limits, Settled
from leaflets.config.profile import Profile
from leaflets.desk.describe import PAGES_DIR_NAME, describe_leaflets, page_image_name
from leaflets.desk.records import LeafletRecord
from leaflets.desk.search import SearchIndex

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


@dataclass(frozen=True)
class _View:
    """A table of records, with its records in alphabetical order and grouped by family."""

    table: dict[str, LeafletRecord]
    ordered: list[LeafletRecord]
    families: dict[str, list[LeafletRecord]]

    @classmethod
    def of(cls, table: dict[str, LeafletRecord]) -> _View:
        ordered = sorted(table.values(), key=lambda record: record.sort_key)
        families: dict[str, list[LeafletRecord]] = {}
        for record in ordered:
            families.setdefault(record.family_head, []).append(record)
        return cls(table, ordered, families)


class Catalogue:
    """Every leaflet of the content folder, as built in the output folder."""

    def __init__(
        self, content: Path, output: Path, profile: Profile, limits: Limits | None = None
    ) -> None:
        self.content = content
        self.output = output
        self.profile = profile
        self.limits = limits or Limits.default(workers=2)
        self.pages_dir = output / PAGES_DIR_NAME
        self.index = SearchIndex(output)
        # Each printed edition's options, settled once for the desk's life.
        self.editions = {name: settle(variant_options(name), profile) for name in VARIANTS}
        self.standard = self.editions["standard"]
        self.pool = desk_pool(self.limits)
        self.problems: list[Problem] = []
        # The output folder cannot be written (read-only, full): what exists is offered as it is.
        self.read_only = False
        # Each article that failed, with its text's hash then: once it is fixed, it is built.
        self._failed: dict[Path, str] = {}
        self._records: dict[str, LeafletRecord] = {}
        self._view = _View({}, [], {})
        # Articles that fail to build now, with the info of their last good standard leaflet.
        self._stale: dict[Path, LeafletInfo] = {}
        # Each article's text as it was when its last build began: a save during the build
        # leaves its record out of date, so the next look builds it again.
        self._built_from: dict[Path, str] = {}
        self._lock = threading.RLock()

    def close(self) -> None:
        """Stop the workers and close the index, once any drawing of pages is done."""
        with self._lock:
            self.pool.close()
            self.index.close()

    def refresh(self) -> list[Problem]:
        """Build what changed, describe what is new, and forget articles that are gone."""
        with self._lock:
            built, self.problems = self._build([self.content], self.standard)
            self._failed = {Path(p.source): file_digest(Path(p.source)) for p in self.problems}
            self._built_from = {
                path: was for path, was in self._built_from.items() if path.exists()
            }
            self._describe_changed(built, whole=True)
            return self.problems

    def refresh_when_added(self) -> None:
        """Start a refresh in the background when articles were added or removed, or one that
        failed has changed (fixed, perhaps)."""
        try:
            present = {str(path) for path in find_articles(self.content)}
        except LeafletError:
            return
        known = {record.source for record in self._records.values()}
        known |= {problem.source for problem in self.problems}
        changed = present != known or self._a_failed_one_changed()
        if changed and self._lock.acquire(blocking=False):
            self._lock.release()
            threading.Thread(target=self.refresh, daemon=True).start()

    def _a_failed_one_changed(self) -> bool:
        return any(file_digest(source) != was for source, was in self._failed.items())

    # Reading needs no lock: the table of records is replaced whole, never changed in place.
    def records(self) -> list[LeafletRecord]:
        """Every leaflet, alphabetically."""
        return list(self._current_view().ordered)

    def family_members(self, head: str) -> list[LeafletRecord]:
        """The leaflet of slug `head` and its translations, alphabetically."""
        return list(self._current_view().families.get(head, ()))

    def _current_view(self) -> _View:
        """The records in order and by family, worked out once for each table of records: a
        search's cards and their languages then cost no sorting."""
        view, table = self._view, self._records
        if view.table is not table:
            view = _View.of(table)
            self._view = view
        return view

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

    def edition_pdf(self, slug: str, variant: str) -> Path:
        """The PDF of a leaflet's edition, built first when it is not up to date."""
        record = self.prepare(slug, variant)
        return self.output / f"{record.slug}{variant_suffix(self.editions[variant])}.pdf"

    def _edition(self, record: LeafletRecord, variant: str) -> list[tuple[Path, Path]]:
        source = Path(record.source)
        if not source.is_file():
            raise LeafletError(source, "the article is gone")
        built, problems = self._build([source], self.editions[variant])
        if not built:  # never built well: a stale edition still has its last good PDF
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
        self, inputs: list[Path], options: Settled
    ) -> tuple[list[tuple[Path, Path]], list[Problem]]:
        """Build what is out of date; return every (article, PDF) there is to offer (the last
        good one of an article that fails to build now), and the failures.

        Each leaflet is built in a warm worker of the desk's pool.
        """
        self.read_only = not can_write_in(self.output)
        if self.read_only:
            return self._existing(inputs, options), []
        self._built_from.update(_text_digests(inputs))
        planned = plan_catalogue(inputs, self.output, self.profile, options, self.limits)
        standard = options == self.standard
        built: list[tuple[Path, Path]] = []
        problems: list[Problem] = []
        for outcome in planned.leaflets(self.pool):
            source = outcome.job.source
            if outcome.target is not None and (outcome.ok or outcome.stale_since):
                built.append((source, outcome.target))
            if standard and outcome.stale_since and outcome.info is not None:
                self._stale[source] = outcome.info
            elif standard:
                self._stale.pop(source, None)
            if not outcome.ok:
                message = outcome.error or "the leaflet was not built"
                problems.append(Problem(str(source), message))
        return built, problems

    def _existing(self, inputs: list[Path], options: Settled) -> list[tuple[Path, Path]]:
        """(article, PDF) for every edition already built, as the manifest says: all there is
        to offer when nothing can be written."""
        suffix = variant_suffix(options)
        found = []
        for folder_or_file in inputs:
            content = folder_or_file if folder_or_file.is_dir() else folder_or_file.parent
            for listed in list_catalogue(content, self.output, self.profile, self.pool):
                pdf = self.output / f"{listed.info.slug}{suffix}.pdf"
                wanted = folder_or_file.is_dir() or listed.source == folder_or_file
                if listed.built and wanted and pdf.is_file():
                    found.append((listed.source, pdf))
        return found

    def _describe_changed(self, built: list[tuple[Path, Path]], whole: bool = False) -> None:
        """Take records from the index where they are current; describe the rest in a worker."""
        known = {record.key: record for record in self.index.records()}
        fresh: dict[str, LeafletRecord] = {}
        todo: list[tuple[Path, Path]] = []
        for source, pdf in built:
            key = f"{self._built_from.get(source) or file_digest(source)}:{file_digest(pdf)}"
            stale = self._stale.get(source)
            if stale is not None:
                record = self._stale_record(source, pdf, key, stale, known)
                fresh[record.slug] = record
            elif key in known and known[key].source == str(source):
                fresh[known[key].slug] = known[key]
            else:
                todo.append((source, pdf))
        for start in range(0, len(todo), DESCRIBE_BATCH):
            fresh.update(self._describe(todo[start : start + DESCRIBE_BATCH]))
        self._records = fresh if whole else {**self._records, **fresh}
        self.index.put([record for record in fresh.values() if record.stale_since])
        self.index.keep_only(self._records)

    def _stale_record(
        self,
        source: Path,
        pdf: Path,
        key: str,
        info: LeafletInfo,
        known: dict[str, LeafletRecord],
    ) -> LeafletRecord:
        """The record of a last good leaflet: as described when it was built, marked stale.

        Its key holds the article as it is now, so that it is not rebuilt again until the
        article changes; its text is never read here, for it no longer builds.
        """
        pdf_hash = file_digest(pdf)
        described = [*self._records.values(), *known.values()]
        earlier = next(
            (r for r in described if r.source == str(source) and r.key.endswith(f":{pdf_hash}")),
            None,
        )
        if earlier is not None:
            return replace(earlier, key=key, stale_since=info.stale_since, error=info.error)
        return LeafletRecord(
            slug=info.slug,
            title=info.title,
            source=str(source),
            pdf=pdf.name,
            content_hash=info.content_hash,
            reference=info.reference,
            version=info.version,
            language=info.language,
            published=info.published.isoformat() if info.published else "",
            updated=info.updated.isoformat() if info.updated else "",
            review=info.review.isoformat() if info.review else "",
            url=info.online,
            pages=info.pages,
            key=key,
            stale_since=info.stale_since,
            error=info.error,
            translation_of=info.translation_of,
            translation_state=info.translation_state,
        )

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


def _text_digests(inputs: list[Path]) -> dict[Path, str]:
    """The hash of each article the inputs name (a folder's, or an article itself)."""
    try:
        sources = [found for given in inputs for found in _articles_of(given)]
    except LeafletError:
        return {}  # the build says what is wrong
    return {source: file_digest(source) for source in sources}


def _articles_of(given: Path) -> list[Path]:
    return find_articles(given) if given.is_dir() else [given]
