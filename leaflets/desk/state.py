"""Everything one running desk holds: where things are, the catalogue, and who is logged in."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path

import anyio

from leaflets.config.profile import Profile
from leaflets.desk.audit import ChainWatch
from leaflets.desk.catalogue import Catalogue
from leaflets.desk.confirm import Previews
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
    previews: Previews = field(default_factory=Previews)
    # An argon2 check takes 64 MiB: two at a time, however many logins arrive at once.
    verifying: anyio.CapacityLimiter = field(default_factory=lambda: anyio.CapacityLimiter(2))
    chain: ChainWatch = field(init=False)
    _users: tuple[tuple[int, int, int], Users] | None = field(default=None, init=False)
    _users_lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        self.chain = ChainWatch(self.paths.audit)

    @property
    def language(self) -> str:
        """The page's language: the profile's, when the desk speaks it."""
        return desk_language(self.profile.leaflets.language)

    @property
    def texts(self) -> Texts:
        """The desk's texts in its language."""
        return desk_texts(self.language)

    def users(self) -> Users:
        """The users file as it is now: a new user can log in, a removed one is logged out."""
        try:
            status = self.paths.users.stat()
            seen = (status.st_ino, status.st_size, status.st_mtime_ns)
        except FileNotFoundError:
            seen = (0, 0, 0)
        with self._users_lock:
            if self._users is None or self._users[0] != seen:
                self._users = (seen, load_users(self.paths.users))
            return self._users[1]

    def today(self) -> dt.date:
        """Today's date, for review status."""
        return dt.date.today()
