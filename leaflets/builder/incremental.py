"""Which editions need building: those whose inputs changed since the manifest was written."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from leaflets.article.translations import FolderTranslations
from leaflets.builder.digests import digest, file_digest
from leaflets.builder.edition import STANDARD
from leaflets.builder.info import LeafletInfo
from leaflets.builder.job import Job
from leaflets.builder.manifest import (
    Entry,
    Manifest,
    Place,
    load_manifest,
    settings_fingerprint,
)
from leaflets.builder.manifest import source_fingerprint as _source_fingerprint
from leaflets.config.errors import one_line
from leaflets.config.options import Settled
from leaflets.config.profile import Profile


@dataclass
class Plan:
    """The jobs to run, the jobs already up to date, and the manifests to update."""

    stale: list[Job] = field(default_factory=list)
    fresh: list[Job] = field(default_factory=list)
    manifests: dict[Path, Manifest] = field(default_factory=dict)
    settings: str = ""
    sources: dict[Path, str] = field(default_factory=dict)
    # Each folder's translations, found once for all the jobs of the plan.
    translations: dict[Path, FolderTranslations] = field(default_factory=dict)

    def manifest_of(self, job: Job) -> Manifest:
        """The manifest of the folder a job writes into."""
        return self.manifests[output_folder(job)]

    def place_of(self, job: Job) -> Place:
        """Where the manifest keeps a job's edition."""
        return self.manifest_of(job).key(job.source), job.variant

    def record(self, job: Job, target: Path, info: LeafletInfo | None) -> None:
        """Remember what a freshly built edition was made from, and what the worker told.

        In a folder, a PDF of the edition under another name (its slug changed) is made by no
        article any more: it goes, as do the article's other editions under the old name. A
        file the user named (`-o leaflet.pdf`) is theirs, and stays.
        """
        manifest, place = self.manifest_of(job), self.place_of(job)
        source = self.sources.get(job.source)
        if source is None:
            return
        previous = manifest.entries.get(place)
        manifest.entries[place] = Entry(
            target.name, source, self.settings, file_digest(target), file_digest(job.source), info
        )
        named_by_user = job.target is not None
        if previous is not None and previous.target != target.name and not named_by_user:
            manifest.remove_file(previous)
        if info is not None:
            for other, entry in list(manifest.entries.items()):
                named = entry.info.slug if entry.info else info.slug
                by_slug = entry.target == f"{named}{other[1]}.pdf"
                if other[0] == place[0] and other != place and by_slug and named != info.slug:
                    manifest.forget(other)

    def record_failure(self, job: Job, error: str) -> Entry | None:
        """Mark the edition's last good PDF stale, with the error; None when it has none."""
        entry = self.entry_of(job)
        if entry is None or entry.info is None:
            return None
        if file_digest(self.manifest_of(job).folder / entry.target) != entry.pdf:
            return None
        entry.stale_since = entry.stale_since or dt.datetime.now().isoformat(timespec="seconds")
        entry.error = one_line(error)
        return entry

    def entry_of(self, job: Job) -> Entry | None:
        """What the manifest holds for a job's edition."""
        return self.manifest_of(job).entries.get(self.place_of(job))

    def owner_of(self, target: Path) -> str | None:
        """The key of the article whose PDF `target` is, as the manifest remembers it."""
        manifest = self.manifests.get(target.parent)
        if manifest is None:
            return None
        found = (key for (key, _), e in manifest.entries.items() if e.target == target.name)
        return next(found, None)

    def disown(self, target: Path, owner: Path) -> None:
        """Forget every other article's claim on `target`, which belongs to `owner`."""
        manifest = self.manifests[target.parent]
        mine = manifest.key(owner)
        for place, entry in list(manifest.entries.items()):
            if entry.target == target.name and place[0] != mine:
                del manifest.entries[place]

    def prune(self, folders: list[Path]) -> None:
        """Forget the editions (and remove the PDFs) of articles that no longer exist: in the
        content `folders` built, or wherever a manifest's key still says."""
        for manifest in self.manifests.values():
            for place in list(manifest.entries):
                if _gone(manifest, place[0], folders):
                    manifest.forget(place)

    def save(self) -> None:
        """Write every manifest that this build touched."""
        for manifest in self.manifests.values():
            if manifest.folder.is_dir():
                manifest.save()

    def listed_in(self, folder: Path, jobs: list[Job]) -> list[tuple[LeafletInfo, Path]]:
        """(info, PDF) of the standard edition of every article of a folder build that has one."""
        manifest = self.manifests[folder]
        found = []
        for source in dict.fromkeys(job.source for job in jobs if job.folder == folder):
            entry = manifest.get(source, STANDARD)
            if entry is not None and entry.info is not None and (folder / entry.target).is_file():
                found.append((entry.info, folder / entry.target))
        return found

    def index_stamp(self, listed: list[tuple[LeafletInfo, Path]]) -> str:
        """What a folder's index depends on: the settings and what it shows of each leaflet."""
        rows = sorted(json.dumps(info.indexed()) for info, _pdf in listed)
        return digest("\n".join([self.settings, *rows]).encode())

    def target_of(self, job: Job) -> Path | None:
        """The PDF an up-to-date job already has."""
        entry = self.entry_of(job)
        return output_folder(job) / entry.target if entry else None


def _gone(manifest: Manifest, key: str, folders: list[Path]) -> bool:
    """Whether the article a key stands for is gone (one kept by a hash of where it is can be
    told only by one of the folders it may have been in)."""
    name = key.rsplit("/", 1)[-1]
    for folder in folders:
        if manifest.key(folder / name) == key:
            return not (folder / name).is_file()
    source = manifest.source_of(key)
    return source is not None and not source.is_file()


def output_folder(job: Job) -> Path:
    """The folder a job writes into."""
    if job.target is not None:
        return job.target.parent
    assert job.folder is not None
    return job.folder


def plan_build(jobs: list[Job], profile: Profile, options: Settled, force: bool) -> Plan:
    """Split `jobs` into those to build and those whose PDF is already up to date."""
    plan = Plan(settings=settings_fingerprint(profile, options))
    for job in jobs:
        folder = output_folder(job)
        if folder not in plan.manifests:
            plan.manifests[folder] = load_manifest(folder)
        source = _source_hash(job, profile, plan.translations)
        if source is not None:
            plan.sources[job.source] = source
        if not force and source is not None and _is_fresh(job, source, plan, options):
            plan.fresh.append(job)
        else:
            plan.stale.append(job)
    return plan


def _source_hash(
    job: Job, profile: Profile, translations: dict[Path, FolderTranslations]
) -> str | None:
    """The article's fingerprint; None builds it anyway, so that its worker reports the problem."""
    try:
        return _source_fingerprint(job.source, profile, translations)
    except Exception:
        return None


def _is_fresh(job: Job, source: str, plan: Plan, options: Settled) -> bool:
    entry = plan.entry_of(job)
    if entry is None or entry.source != source or entry.settings != plan.settings:
        return False
    if entry.info is None:
        return False
    if job.target is not None and job.target.name != entry.target:
        return False
    target = output_folder(job) / entry.target
    if options.write_html and not target.with_suffix(".html").is_file():
        return False
    if file_digest(target) != entry.pdf:
        return False
    entry.stale_since = entry.error = ""  # made from what it was last made from well: current
    return True
