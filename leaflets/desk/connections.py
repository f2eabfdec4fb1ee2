"""The desk's HTTP connections: a deadline for each request, and a ceiling on how many stay open.

uvicorn closes an idle keep-alive connection after `timeout_keep_alive`, but waits for a
request's headers without end, so a client sending a byte now and then could hold a connection,
and its file descriptor, for ever. Here each request must have arrived whole within
REQUEST_SECONDS of the connection opening (or of the answer before it), and when MAX_CONNECTIONS
are open the one that has waited longest for its request is closed to make room.
"""

from __future__ import annotations

import asyncio
import time

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

REQUEST_SECONDS = 10.0
MAX_CONNECTIONS = 200
KEEP_ALIVE_SECONDS = 5
# uvicorn's own limit, which answers 503; the ceiling above keeps it from being reached.
LIMIT_CONCURRENCY = MAX_CONNECTIONS + 20


class DeskProtocol(H11Protocol):
    """uvicorn's h11 protocol with a request deadline and a connection ceiling."""

    waiting_since: float | None = None
    deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_request()
        if len(self.connections) > MAX_CONNECTIONS:
            self._make_room()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_deadline()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._await_request()

    def _await_request(self) -> None:
        self._cancel_deadline()
        self.waiting_since = time.monotonic()
        self.deadline = self.loop.call_later(REQUEST_SECONDS, self._request_overdue)

    def _cancel_deadline(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def is_waiting(self) -> bool:
        """Whether the connection is still waiting for (the rest of) a request."""
        return (
            self.conn.their_state in (h11.IDLE, h11.SEND_BODY) and not self.transport.is_closing()
        )

    def _request_overdue(self) -> None:
        self.deadline = None
        if self.is_waiting():
            self.transport.close()

    def _make_room(self) -> None:
        """Close the connection that has waited longest for its request (this one, if none)."""
        waiting = [
            other
            for other in self.connections
            if isinstance(other, DeskProtocol) and other is not self and other.is_waiting()
        ]
        oldest = min(waiting, key=lambda other: other.waiting_since or 0.0, default=self)
        oldest.transport.close()
