"""Which leaflets need building: those whose inputs changed since the manifest was written."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from leaflets.builder.info import LeafletInfo
from leaflets.builder.job import Job
from leaflets.builder.manifest import (
    Entry,
    Manifest,
    digest,
    file_digest,
    load_manifest,
    settings_fingerprint,
)
from leaflets.builder.manifest import source_fingerprint as _source_fingerprint
from leaflets.config.options import BuildOptions
from leaflets.config.profile import Profile


@dataclass
class Plan:
    """The jobs to run, the jobs already up to date, and the manifests to update."""

    stale: list[Job] = field(default_factory=list)
    fresh: list[Job] = field(default_factory=list)
    manifests: dict[Path, Manifest] = field(default_factory=dict)
    settings: str = ""
    sources: dict[Path, str] = field(default_factory=dict)

    def record(self, job: Job, target: Path, info: LeafletInfo | None) -> None:
        """Remember what a freshly built leaflet was made from, and what the worker told."""
        manifest = self.manifests[output_folder(job)]
        source = self.sources.get(job.source)
        if source is None:
            return
        manifest.entries[manifest.key(job.source)] = Entry(
            target.name, source, self.settings, file_digest(target), file_digest(job.source), info
        )

    def entry_of(self, job: Job) -> Entry | None:
        """What the manifest holds for a job's article."""
        manifest = self.manifests[output_folder(job)]
        return manifest.entries.get(manifest.key(job.source))

    def owner_of(self, target: Path) -> str | None:
        """The key of the article whose PDF `target` is, as the manifest remembers it."""
        manifest = self.manifests.get(target.parent)
        if manifest is None:
            return None
        return next((key for key, e in manifest.entries.items() if e.target == target.name), None)

    def save(self) -> None:
        """Write every manifest that this build touched."""
        for manifest in self.manifests.values():
            if manifest.folder.is_dir():
                manifest.save()

    def listed_in(self, folder: Path, jobs: list[Job]) -> list[tuple[LeafletInfo, Path]]:
        """(info, PDF) for every job of a folder build whose PDF is there and up to date."""
        manifest = self.manifests[folder]
        found = []
        for job in jobs:
            entry = manifest.entries.get(manifest.key(job.source))
            if job.folder != folder or entry is None or entry.info is None:
                continue
            if (folder / entry.target).is_file():
                found.append((entry.info, folder / entry.target))
        return found

    def index_stamp(self, folder: Path, listed: list[tuple[LeafletInfo, Path]]) -> str:
        """What the folder's index depends on: the settings and each listed leaflet's info."""
        rows = sorted(
            f"{json.dumps(info.as_dict(), sort_keys=True)}\0{pdf.name}" for info, pdf in listed
        )
        return digest("\n".join([self.settings, *rows]).encode())

    def target_of(self, job: Job) -> Path | None:
        """The PDF an up-to-date job already has."""
        entry = self.entry_of(job)
        return output_folder(job) / entry.target if entry else None


def output_folder(job: Job) -> Path:
    """The folder a job writes into."""
    if job.target is not None:
        return job.target.parent
    assert job.folder is not None
    return job.folder


def plan_build(jobs: list[Job], profile: Profile, options: BuildOptions, force: bool) -> Plan:
    """Split `jobs` into those to build and those whose PDF is already up to date."""
    plan = Plan(settings=settings_fingerprint(profile, options))
    for job in jobs:
        folder = output_folder(job)
        if folder not in plan.manifests:
            plan.manifests[folder] = load_manifest(folder)
        source = _source_hash(job, profile)
        if source is not None:
            plan.sources[job.source] = source
        if not force and source is not None and _is_fresh(job, source, plan, options):
            plan.fresh.append(job)
        else:
            plan.stale.append(job)
    return plan


def _source_hash(job: Job, profile: Profile) -> str | None:
    """The article's fingerprint; None builds it anyway, so that its worker reports the problem."""
    try:
        return _source_fingerprint(job.source, profile)
    except Exception:
        return None


def _is_fresh(job: Job, source: str, plan: Plan, options: BuildOptions) -> bool:
    manifest = plan.manifests[output_folder(job)]
    entry = manifest.entries.get(manifest.key(job.source))
    if entry is None or entry.source != source or entry.settings != plan.settings:
        return False
    if entry.info is None:
        return False
    if job.target is not None and job.target.name != entry.target:
        return False
    target = manifest.folder / entry.target
    if options.write_html and not target.with_suffix(".html").is_file():
        return False
    return file_digest(target) == entry.pdf
