"""Sessions, CSRF tokens, the login lock-out and the message rate limit, kept in memory.

Nothing here is written to disk: a restart of the desk logs everyone out, which is safe.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

SESSION_SECONDS = 8 * 3600
IDLE_SECONDS = 30 * 60
LOCK_FAILURES = 5
LOCK_WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60
MESSAGES_PER_HOUR = 30
MAX_TRACKED = 10_000
HOUR = 3600.0

Clock = Callable[[], float]


@dataclass
class Session:
    """One logged-in user, their CSRF token, and when the session started and was last used.

    `credential` is a digest of the password hash the user logged in with: when the users file
    no longer holds it (the user was removed or has a new password), the session has ended.
    """

    user: str
    csrf: str
    started: float
    credential: str = ""
    last_seen: float = 0.0
    previews: dict[str, float] = field(default_factory=dict)
    # The leaflets gathered to hand out together: (slug, edition) pairs, nothing of a patient.
    basket: list[tuple[str, str]] = field(default_factory=list)


def credential_of(password_hash: str) -> str:
    """What a session keeps of the password hash it began with."""
    return hashlib.sha256(password_hash.encode()).hexdigest()


def same_token(given: str, expected: str) -> bool:
    """Compare tokens in constant time; an empty token never matches."""
    return bool(given) and bool(expected) and hmac.compare_digest(given, expected)


@dataclass
class Sessions:
    """The live sessions, by the random token in the session cookie."""

    clock: Clock = time.monotonic
    lifetime: float = SESSION_SECONDS
    idle: float = IDLE_SECONDS
    _live: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, user: str, password_hash: str = "") -> tuple[str, Session]:
        """A new session for `user`: its cookie token and the session."""
        token = secrets.token_urlsafe(32)
        now = self.clock()
        credential = credential_of(password_hash)
        session = Session(user, secrets.token_urlsafe(32), now, credential, now)
        with self._lock:
            self._live[token] = session
        return token, session

    def find(self, token: str, hashes: Mapping[str, str] | None = None) -> Session | None:
        """The session of a cookie token, unless it has ended; finding it counts as activity.

        With `hashes` (the users file as it is now), a session whose user was removed or
        changed password has ended too.
        """
        now = self.clock()
        with self._lock:
            session = self._live.get(token)
            if session is None:
                return None
            if self._ended(session, now, hashes):
                del self._live[token]
                return None
            session.last_seen = now
            return session

    def _ended(self, session: Session, now: float, hashes: Mapping[str, str] | None) -> bool:
        if now - session.started >= self.lifetime or now - session.last_seen >= self.idle:
            return True
        if hashes is None:
            return False
        stored = hashes.get(session.user)
        return stored is None or credential_of(stored) != session.credential

    def end(self, token: str) -> None:
        """Log out."""
        with self._lock:
            self._live.pop(token, None)

    def end_user(self, user: str) -> None:
        """End every session of a user (after a change of password: the others must log in)."""
        with self._lock:
            for token in [t for t, s in self._live.items() if s.user == user]:
                del self._live[token]


@dataclass
class LockOut:
    """Failed logins per name; five within 15 minutes lock the name for 15 minutes."""

    clock: Clock = time.monotonic
    failures: int = LOCK_FAILURES
    window: float = LOCK_WINDOW_SECONDS
    duration: float = LOCK_SECONDS
    _failed: dict[str, deque[float]] = field(default_factory=dict)
    _locked: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def locked_for(self, name: str) -> float:
        """Seconds until `name` may log in again; 0 when it is not locked."""
        with self._lock:
            return self._left(name, self.clock())

    def _left(self, name: str, now: float) -> float:
        left = self._locked.get(name, 0.0) - now
        if left <= 0:
            self._locked.pop(name, None)
            return 0.0
        return left

    def attempt(self, name: str) -> float:
        """Reserve one try for `name` before its password is checked: 0 when it may be.

        Otherwise the seconds it stays locked. Each try counts as a failure until
        `succeeded` says otherwise, and the fifth in the window locks the name at once, so
        that tries made at the same moment are never more than five.
        """
        now = self.clock()
        with self._lock:
            left = self._left(name, now)
            if left:
                return left
            if len(self._failed) > MAX_TRACKED:
                self._forget_before(now - self.window)
            times = self._failed.setdefault(name, deque())
            while times and now - times[0] > self.window:
                times.popleft()
            times.append(now)
            if len(times) >= self.failures:
                self._locked[name] = now + self.duration
                times.clear()
            return 0.0

    def _forget_before(self, moment: float) -> None:
        """Drop names whose failures are all older than `moment`: guessed names pile up."""
        for old in [
            name for name, times in self._failed.items() if not times or times[-1] < moment
        ]:
            del self._failed[old]

    def succeeded(self, name: str) -> None:
        """Forget the failures (and the lock) of a name whose password was right."""
        with self._lock:
            self._failed.pop(name, None)
            self._locked.pop(name, None)


@dataclass
class RateLimit:
    """At most `limit` messages per user in any hour."""

    clock: Clock = time.monotonic
    limit: int = MESSAGES_PER_HOUR
    _sent: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allows(self, user: str, count: int) -> bool:
        """Whether `user` may send `count` more messages now (for a preview; sending reserves)."""
        with self._lock:
            return len(self._recent(user)) + count <= self.limit

    def reserve(self, user: str, count: int) -> bool:
        """Count `count` messages before they are sent, if the hour allows them all."""
        now = self.clock()
        with self._lock:
            recent = self._recent(user)
            if len(recent) + count > self.limit:
                return False
            recent.extend([now] * count)
            return True

    def _recent(self, user: str) -> deque[float]:
        times = self._sent.setdefault(user, deque())
        while times and self.clock() - times[0] >= HOUR:
            times.popleft()
        return times
