"""The send form's confirmation: a signed, single-use token bound to the exact preview.

The token holds keyed digests of the recipients, the name and the note that were shown, the
leaflet and a random number the session remembers until the token is used. A confirm with other
addresses or another note, for another leaflet or session, or a second time, is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass, field

from leaflets.desk.forms import Message
from leaflets.desk.guard import Session

PREVIEW_SECONDS = 30 * 60
KEPT_PREVIEWS = 20


class ConfirmError(Exception):
    """A confirm that does not belong to a preview still open: the desk text key says why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass
class Previews:
    """Issues and redeems the confirm tokens of one running desk."""

    key: bytes = field(default_factory=lambda: secrets.token_bytes(32))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self, session: Session, slug: str, message: Message, now: float) -> str:
        """A token for this preview, remembered by the session until used."""
        nonce = secrets.token_urlsafe(16)
        with self._lock:
            session.previews[nonce] = now
            for old in sorted(session.previews, key=session.previews.__getitem__)[:-KEPT_PREVIEWS]:
                del session.previews[old]
        what = self._digests(message)
        return ".".join([nonce, *what, self._mac(session, slug, nonce, what)])

    def redeem(self, session: Session, slug: str, message: Message, token: str, now: float) -> None:
        """Use up the token of the preview of exactly this message; ConfirmError otherwise."""
        parts = token.split(".")
        if len(parts) != 5:
            raise ConfirmError("error_preview_changed")
        nonce, *what, mac = parts
        if not all(
            hmac.compare_digest(given, shown)
            for given, shown in zip(what, self._digests(message), strict=True)
        ) or not hmac.compare_digest(mac, self._mac(session, slug, nonce, what)):
            raise ConfirmError("error_preview_changed")
        with self._lock:
            issued = session.previews.pop(nonce, None)
        if issued is None or now - issued > PREVIEW_SECONDS:
            raise ConfirmError("error_preview_used")

    def _digests(self, message: Message) -> list[str]:
        """Keyed digests of the recipients, the name and the note, in that order."""
        fields = ["\n".join(message.addresses), message.name, message.note]
        return [self._keyed(f"{kind}\n{text}") for kind, text in zip("rpn", fields, strict=True)]

    def _mac(self, session: Session, slug: str, nonce: str, what: list[str]) -> str:
        return self._keyed("\n".join([session.csrf, slug, nonce, *what]))

    def _keyed(self, text: str) -> str:
        return hmac.new(self.key, text.encode(), hashlib.sha256).hexdigest()[:43]
