"""Sessions, CSRF tokens, the login lock-out and the message rate limit, kept in memory.

Nothing here is written to disk: a restart of the desk logs everyone out, which is safe.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

SESSION_SECONDS = 8 * 3600
LOCK_FAILURES = 5
LOCK_WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60
MESSAGES_PER_HOUR = 30
MAX_TRACKED = 10_000
HOUR = 3600.0

Clock = Callable[[], float]


@dataclass
class Session:
    """One logged-in user, their CSRF token and when the session started."""

    user: str
    csrf: str
    started: float


def same_token(given: str, expected: str) -> bool:
    """Compare tokens in constant time; an empty token never matches."""
    return bool(given) and bool(expected) and hmac.compare_digest(given, expected)


@dataclass
class Sessions:
    """The live sessions, by the random token in the session cookie."""

    clock: Clock = time.monotonic
    lifetime: float = SESSION_SECONDS
    _live: dict[str, Session] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, user: str) -> tuple[str, Session]:
        """A new session for `user`: its cookie token and the session."""
        token = secrets.token_urlsafe(32)
        session = Session(user, secrets.token_urlsafe(32), self.clock())
        with self._lock:
            self._live[token] = session
        return token, session

    def find(self, token: str) -> Session | None:
        """The session of a cookie token, unless it has ended."""
        with self._lock:
            session = self._live.get(token)
            if session is not None and self.clock() - session.started >= self.lifetime:
                del self._live[token]
                return None
            return session

    def end(self, token: str) -> None:
        """Log out."""
        with self._lock:
            self._live.pop(token, None)


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
            until = self._locked.get(name, 0.0)
            left = until - self.clock()
            if left <= 0:
                self._locked.pop(name, None)
                return 0.0
            return left

    def failed(self, name: str) -> None:
        """Count a failed login; the fifth in the window locks the name."""
        now = self.clock()
        with self._lock:
            if len(self._failed) > MAX_TRACKED:
                self._forget_before(now - self.window)
            times = self._failed.setdefault(name, deque())
            times.append(now)
            while times and now - times[0] > self.window:
                times.popleft()
            if len(times) >= self.failures:
                self._locked[name] = now + self.duration
                times.clear()

    def _forget_before(self, moment: float) -> None:
        """Drop names whose failures are all older than `moment`: guessed names pile up."""
        for old in [
            name for name, times in self._failed.items() if not times or times[-1] < moment
        ]:
            del self._failed[old]

    def succeeded(self, name: str) -> None:
        """Forget the failures of a name that logged in."""
        with self._lock:
            self._failed.pop(name, None)


@dataclass
class RateLimit:
    """At most `limit` messages per user in any hour."""

    clock: Clock = time.monotonic
    limit: int = MESSAGES_PER_HOUR
    _sent: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allows(self, user: str, count: int) -> bool:
        """Whether `user` may send `count` more messages now."""
        with self._lock:
            return len(self._recent(user)) + count <= self.limit

    def record(self, user: str, count: int) -> None:
        """Count messages that were sent."""
        now = self.clock()
        with self._lock:
            self._recent(user).extend([now] * count)

    def _recent(self, user: str) -> deque[float]:
        times = self._sent.setdefault(user, deque())
        while times and self.clock() - times[0] >= HOUR:
            times.popleft()
        return times
