"""What became of one build job, as the worker hands it back."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from leaflets.builder.info import LeafletInfo
from leaflets.builder.job import Job
from leaflets.builder.output import Staged


@dataclass
class Outcome:
    """What became of one job: the PDF written, or one line saying why not."""

    job: Job
    target: Path | None = None
    info: LeafletInfo | None = None
    staged: list[Staged] = field(default_factory=list)
    fresh: bool = False
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    details: str = ""
    peak_rss: int = 0
    fatal: bool = False
    # A failed rebuild whose last good PDF is `target`: since when that PDF is stale (ISO).
    stale_since: str = ""
    worker: int = 0  # the process id of the worker that built it

    @property
    def ok(self) -> bool:
        """Whether the leaflet was written."""
        return self.error is None
