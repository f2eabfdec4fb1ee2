"""A catalogue build: every article of the inputs, built in warm workers, reported one by one.

Whoever calls it (the command line, watch, the desk) draws the progress and reports errors;
this module never prints. Files are written last: a worker stages each PDF beside its target,
and it is put in place here only when no other article of the build claims the same file.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from leaflets.builder.batch import build_jobs, build_pool
from leaflets.builder.edition import STANDARD, variant_suffix
from leaflets.builder.incremental import Plan, plan_build
from leaflets.builder.info import is_overdue
from leaflets.builder.job import Job, plan_jobs
from leaflets.builder.outcome import Outcome
from leaflets.builder.output import remove_stale_staged
from leaflets.config.defaults import INDEX_NAME, OUTPUT_DIR, shown
from leaflets.config.errors import LeafletError, warn
from leaflets.config.options import BuildOptions, Limits, Personal, Settled
from leaflets.config.profile import Profile
from leaflets.press.prepress import settle
from leaflets.workers import Pool, private_folder

if TYPE_CHECKING:
    from leaflets.builder.batch import Call
    from leaflets.builder.info import LeafletInfo

# Called with a new leaflet before it is put in place; raising keeps the old file.
Check = Callable[[Outcome], object]


@dataclass
class IndexOutcome:
    """What became of one folder's index.pdf: written, up to date, or why not."""

    folder: Path
    target: Path | None = None
    error: str | None = None
    fresh: bool = False

    @property
    def ok(self) -> bool:
        """Whether the index is in place."""
        return self.error is None


@dataclass
class Catalogue:
    """The planned build of some articles: what is up to date, and what to build."""

    jobs: list[Job]
    plan: Plan
    profile: Profile
    options: Settled
    limits: Limits
    folder_build: bool
    force: bool = False
    folders: list[Path] = field(default_factory=list)  # the content folders built
    # Each folder's index as started early: the stamp of what it shows, and the call.
    early: dict[Path, tuple[str, Call]] = field(default_factory=dict, repr=False)
    pruned: bool = field(default=False, repr=False)

    @property
    def to_build(self) -> int:
        """How many leaflets need building."""
        return len(self.plan.stale)

    def leaflets(self, pool: Pool, before_writing: Check | None = None) -> Iterator[Outcome]:
        """One outcome per article: up to date, or built in the pool's workers, or failed, as
        each is known.

        `before_writing` sees each new leaflet before it is put in place; when it raises,
        the leaflet is dropped and whatever was there before stays.
        """
        claims: dict[Path, Path] = {}
        started = time.time()
        self._prune()
        for job in self.plan.fresh:
            yield self._fresh(job, claims)
        try:
            stale, timeout = self.plan.stale, self.limits.timeout
            if pool.workers > 1:
                stale = _largest_first(stale)
            for outcome in build_jobs(pool, stale, self.profile, self.options, timeout):
                yield self._put_in_place(outcome, claims, before_writing)
        finally:
            self.plan.save()
        # Only at the end, and only files older than this build: a build running beside this
        # one has put its own in place by now, or is stuck far longer than any leaflet takes.
        for folder in self.plan.manifests:
            remove_stale_staged(folder, started)

    def start_indexes(self, pool: Pool) -> None:
        """Lay out each folder's index in a worker while its leaflets are built, when what it
        will show can be foreseen: each leaflet to build has a line there already, from its
        last good PDF. `indexes` puts it in place when the build leaves those lines as they
        were; a title, date or code that changed has it laid out again."""
        from leaflets.builder.batch import start_call
        from leaflets.builder.index import index_entries, index_pdf

        self._prune()
        for folder in self._indexed_folders():
            listed = self.plan.listed_in(folder, self.jobs)
            if not listed or not self._foreseeable(folder, listed):
                continue
            stamp = self.plan.index_stamp(listed)
            if self.force or not self._index_fresh(folder, stamp):
                lines = index_entries(listed, self.profile)
                self.early[folder] = (
                    stamp,
                    start_call(pool, index_pdf, lines, folder, self.profile),
                )

    def indexes(self, pool: Pool) -> Iterator[IndexOutcome]:
        """For a folder build of the standard edition, each output folder's index.pdf, rebuilt
        (in a warm worker of the pool) when a line it shows changed."""
        for folder in self._indexed_folders():
            outcome = self._index(folder, pool)
            if outcome is not None:
                yield outcome

    def _indexed_folders(self) -> list[Path]:
        indexed = self.folder_build and variant_suffix(self.options) == STANDARD
        return list(self.plan.manifests) if indexed else []

    def _prune(self) -> None:
        if self.folder_build and not self.pruned:
            self.plan.prune(self.folders)
        self.pruned = True

    def _foreseeable(self, folder: Path, listed: list[tuple[LeafletInfo, Path]]) -> bool:
        """Whether every leaflet of `folder` to build is listed already."""
        shown = {pdf for _info, pdf in listed}
        if _names_the_index(listed):
            return False
        for job in (job for job in self.plan.stale if job.folder == folder):
            entry = self.plan.entry_of(job)
            if entry is None or folder / entry.target not in shown:
                return False
        return True

    def _index_fresh(self, folder: Path, stamp: str) -> bool:
        from leaflets.builder.digests import file_digest

        return self.plan.manifests[folder].index == f"{stamp}:{file_digest(folder / INDEX_NAME)}"

    def _fresh(self, job: Job, claims: dict[Path, Path]) -> Outcome:
        entry = self.plan.entry_of(job)
        target = self.plan.target_of(job)
        if target is not None:
            claims[target] = job.source
        info = entry.offered if entry else None
        if self.options.strict and info is not None and info.review and is_overdue(info):
            # Up to date is no pass: --strict refuses a leaflet due for review, built or not.
            from leaflets.html.identity import review_passed

            error = f"{job.source}: {review_passed(info.review)} (--strict)"
            return Outcome(job, target=target, info=info, fresh=True, error=error)
        return Outcome(job, target=target, info=info, fresh=True)

    def _put_in_place(
        self, outcome: Outcome, claims: dict[Path, Path], before_writing: Check | None
    ) -> Outcome:
        if not outcome.ok or outcome.target is None:
            return self._last_good(outcome)
        own = _own_name(outcome)
        other = None if own else claims.get(outcome.target) or self._owner_in_build(outcome)
        if other is not None and other != outcome.job.source:
            _discard(outcome)
            outcome.error = (
                f"{outcome.job.source}: would write {shown(outcome.target)}, "
                f"the leaflet of {other}; give it another 'slug'"
            )
            return self._last_good(outcome)
        try:
            if before_writing is not None:
                before_writing(outcome)
        except BaseException:
            _discard(outcome)
            raise
        try:
            for staged in outcome.staged:
                staged.commit()
        except LeafletError as error:
            _discard(outcome)
            outcome.error = str(error)
            return self._last_good(outcome)
        claims[outcome.target] = outcome.job.source
        if own:
            self.plan.disown(outcome.target, outcome.job.source)
        self.plan.record(outcome.job, outcome.target, outcome.info)
        return outcome

    def _last_good(self, outcome: Outcome) -> Outcome:
        """A failed rebuild: the edition's last good PDF, marked stale, when it has one."""
        entry = self.plan.record_failure(outcome.job, str(outcome.error))
        outcome.target = None
        if entry is not None:
            outcome.target = self.plan.target_of(outcome.job)
            outcome.info, outcome.stale_since = entry.offered, entry.stale_since
        return outcome

    def _owner_in_build(self, outcome: Outcome) -> Path | None:
        """The article of this build that the manifest says the target belongs to."""
        assert outcome.target is not None
        key = self.plan.owner_of(outcome.target)
        manifest = self.plan.manifests.get(outcome.target.parent)
        if key is None or manifest is None:
            return None
        return next((job.source for job in self.jobs if manifest.key(job.source) == key), None)

    def _index(self, folder: Path, pool: Pool) -> IndexOutcome | None:
        from leaflets.builder.digests import file_digest
        from leaflets.builder.index import write_index

        manifest = self.plan.manifests[folder]
        listed = self.plan.listed_in(folder, self.jobs)
        if not listed:
            return None
        stamp = self.plan.index_stamp(listed)
        if not self.force and self._index_fresh(folder, stamp):
            return IndexOutcome(folder, folder / INDEX_NAME, fresh=True)
        if _names_the_index(listed):
            return IndexOutcome(folder, error=f"{folder / INDEX_NAME}: a leaflet has this name")
        try:
            target = write_index(folder, self._index_pdf(folder, listed, stamp, pool))
        except LeafletError as error:
            return IndexOutcome(folder, error=str(error))
        manifest.index = f"{stamp}:{file_digest(target)}"
        manifest.save()
        return IndexOutcome(folder, target)

    def _index_pdf(
        self, folder: Path, listed: list[tuple[LeafletInfo, Path]], stamp: str, pool: Pool
    ) -> bytes:
        """The index laid out early, when it shows what `stamp` says; else laid out now, in a
        worker that has laid out leaflets already (its fonts, styles and QR codes are warm)."""
        from leaflets.builder.batch import call_result, start_call
        from leaflets.builder.index import index_entries, index_pdf

        # One that shows other lines is left to finish: stopping it would cost its worker.
        foreseen, early = self.early.pop(folder, ("", None))
        if early is None or foreseen != stamp:
            lines = index_entries(listed, self.profile)
            early = start_call(pool, index_pdf, lines, folder, self.profile)
        data: bytes = call_result(pool, early)
        return data


def plan_catalogue(
    inputs: list[Path],
    out: Path | None,
    profile: Profile,
    options: BuildOptions,
    limits: Limits,
    force: bool = False,
) -> Catalogue:
    """Which leaflets the inputs make in the edition `options` ask for, and which of them
    need building. Each edition has PDFs of its own: `slug.pdf`, `slug-large-print.pdf` ..."""
    settled = settle(options, profile)
    jobs = plan_jobs(inputs, out, shown(OUTPUT_DIR), variant_suffix(settled))
    plan = plan_build(jobs, profile, settled, force)
    folders = [path for path in inputs if path.is_dir()]
    return Catalogue(jobs, plan, profile, settled, limits, bool(folders), force, folders)


def build_catalogue(
    inputs: list[Path],
    out: Path | None,
    profile: Profile,
    options: BuildOptions | None = None,
    limits: Limits | None = None,
    force: bool = False,
    pool: Pool | None = None,
) -> Iterator[Outcome | IndexOutcome]:
    """Build the inputs' leaflets; yield one outcome per leaflet, then one per index.

    In the workers of `pool`, or of a pool of its own that ends with the build.
    """
    catalogue = plan_catalogue(
        inputs, out, profile, options or BuildOptions(), limits or Limits.default(), force
    )
    with _given_or_own(pool, catalogue.limits, catalogue.options) as workers:
        catalogue.start_indexes(workers)
        yield from catalogue.leaflets(workers)
        yield from catalogue.indexes(workers)


def build_one(
    source: Path,
    out: Path,
    profile: Profile,
    options: BuildOptions,
    limits: Limits | None = None,
    before_writing: Check | None = None,
    last_good: bool = False,
    pool: Pool | None = None,
) -> Outcome:
    """One article's leaflet in the edition `options` ask for (in the folder or file `out`),
    built unless up to date; or raise.

    With `last_good`, a failed rebuild gives the edition's last good PDF, its outcome marked
    stale and carrying the error, instead of raising. The leaflet is built in a worker of
    `pool`, or of a pool of its own started only when the leaflet needs building.
    """
    if source.is_dir():
        raise LeafletError(source, "is a folder; give one article")
    catalogue = plan_catalogue([source], out, profile, options, limits or Limits.default())
    with _given_or_own(pool, catalogue.limits, catalogue.options, workers=1) as workers:
        outcomes = list(catalogue.leaflets(workers, before_writing=before_writing))
    if not outcomes:
        raise LeafletError(source, "the leaflet was not built")
    return _succeeded(outcomes[0], last_good)


@contextmanager
def private_copy(
    source: Path,
    profile: Profile,
    options: BuildOptions,
    personal: Personal | None = None,
    limits: Limits | None = None,
    pool: Pool | None = None,
) -> Iterator[Outcome]:
    """A copy for one hand-out (with the therapist's note, if any), in a private folder that
    is gone afterwards, built in a worker of `pool` (or of a pool of its own).

    It never enters a manifest or the output folder: the note and the name are the patient's.
    The folder is named after this process, so that the next command removes it should this
    one be killed before it could.
    """
    if source.is_dir():
        raise LeafletError(source, "is a folder; give one article")
    if not source.exists():
        raise LeafletError(source, "no such file")
    settled, limits = settle(options, profile), limits or Limits.default()
    with (
        private_folder() as private,
        _given_or_own(pool, limits, settled, workers=1) as workers,
    ):
        job = Job(source, target=Path(private) / "leaflet.pdf", personal=personal)
        for outcome in build_jobs(workers, [job], profile, settled, limits.timeout):
            for staged in _succeeded(outcome).staged:
                staged.commit()
            yield outcome
            return
        raise LeafletError(source, "the leaflet was not built")


def _names_the_index(listed: list[tuple[LeafletInfo, Path]]) -> bool:
    """Whether a leaflet of the folder has the index's file name."""
    return any(pdf.name == INDEX_NAME for _info, pdf in listed)


def _own_name(outcome: Outcome) -> bool:
    """Whether the leaflet is named after its article's own file, whose PDF it always is."""
    if outcome.info is None or outcome.job.target is not None:
        return False
    # Loaded here, with a leaflet just built: a command that finds its leaflets up to date never
    # needs the article model.
    from leaflets.article.model import file_name_slug

    try:
        return outcome.info.slug == file_name_slug(outcome.job.source)
    except LeafletError:
        return False


def _largest_first(jobs: list[Job]) -> list[Job]:
    """The jobs, the longest article first: a worker that took a long one last would leave the
    others idle while it finished."""

    def size(job: Job) -> int:
        try:
            return job.source.stat().st_size
        except OSError:
            return 0

    return sorted(jobs, key=size, reverse=True)


@contextmanager
def _given_or_own(
    pool: Pool | None, limits: Limits, options: BuildOptions, workers: int | None = None
) -> Iterator[Pool]:
    """`pool`, or a pool of our own that ends on leaving; its workers start on first use."""
    if pool is not None:
        yield pool
        return
    with build_pool(limits, options, workers=workers) as own:
        yield own


def _discard(outcome: Outcome) -> None:
    for staged in outcome.staged:
        staged.discard()


def _succeeded(outcome: Outcome, last_good: bool = False) -> Outcome:
    """The outcome of a leaflet that was built (or, with `last_good`, of a stale one that
    was built before), its warnings passed on; else the error."""
    for message in outcome.warnings:
        warn(message)
    if last_good and outcome.stale_since and outcome.target is not None:
        return outcome
    if not outcome.ok or outcome.target is None or (outcome.info is None):
        raise LeafletError(None, outcome.error or f"{outcome.job.source}: not built")
    return outcome
