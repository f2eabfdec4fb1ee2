"""Everything one running desk holds: where things are, the catalogue, and who is logged in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from leaflets.config.profile import Profile
from leaflets.desk.catalogue import Catalogue
from leaflets.desk.guard import LockOut, RateLimit, Sessions
from leaflets.desk.texts import Texts, desk_language, desk_texts
from leaflets.desk.users import Users, load_users


@dataclass(frozen=True)
class DeskPaths:
    """Where the desk reads and writes."""

    content: Path
    output: Path
    users: Path
    audit: Path


@dataclass
class Desk:
    """One running desk."""

    paths: DeskPaths
    profile: Profile
    catalogue: Catalogue
    debug: bool = False
    sessions: Sessions = field(default_factory=Sessions)
    lockout: LockOut = field(default_factory=LockOut)
    rate: RateLimit = field(default_factory=RateLimit)

    @property
    def language(self) -> str:
        """The page's language: the profile's, when the desk speaks it."""
        return desk_language(self.profile.leaflets.language)

    @property
    def texts(self) -> Texts:
        """The desk's texts in its language."""
        return desk_texts(self.language)

    def users(self) -> Users:
        """The users file as it is now, so that a new user can log in without a restart."""
        return load_users(self.paths.users)

    def today(self) -> dt.date:
        """Today's date, for review status."""
        return dt.date.today()
