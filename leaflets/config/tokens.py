"""Access tokens for the desk's Infobutton lookup: names and SHA-256 hashes, beside the users.

A token is 32 random bytes, shown once when it is made and kept only as its SHA-256. A fast
hash is enough here, unlike for passwords: nobody can guess 256 random bits, so there is
nothing for a slow hash such as argon2 to slow down, and a journal system's every request is
checked without the 50 ms an argon2 check costs.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

from leaflets.config.errors import LeafletError
from leaflets.config.files import name_table, write_owner_only

TOKENS_FILE_NAME = "desk-tokens.toml"
TOKEN_PREFIX = "lft_"
MAX_TOKEN = 128
_NAME = re.compile(r"[\w.@-]{1,64}")
_HASH = re.compile(r"[0-9a-f]{64}")

HEADER = (
    "# Tokens for the desk's Infobutton lookup (GET /infobutton), as SHA-256 hashes.\n"
    "# Make one with `make-leaflet desk-user token NAME`; revoke it with `--revoke`.\n"
)


@dataclass(frozen=True)
class Tokens:
    """The tokens file and the hashes in it, by name."""

    path: Path
    hashes: dict[str, str]

    def holder(self, token: str) -> str | None:
        """The name a token was made for, or None when it is not one (or was revoked)."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > MAX_TOKEN:
            return None
        digest = token_hash(token)
        found = None
        for name, stored in self.hashes.items():  # every one compared, in constant time each
            if hmac.compare_digest(stored, digest):
                found = name
        return found


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as kept in the file."""
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_file_beside(users: Path) -> Path:
    """Where the tokens live: beside the desk's users file."""
    return users.parent / TOKENS_FILE_NAME


def checked_token_name(name: str) -> str:
    """A token's name (the system that uses it) of letters, digits and . _ @ -."""
    if not _NAME.fullmatch(name):
        raise LeafletError(
            None, f"token name {name!r} must be 1–64 letters, digits or the characters . _ @ -"
        )
    return name


def load_tokens(path: Path) -> Tokens:
    """The tokens in `path`; no file means no tokens."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return Tokens(path, {})
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise LeafletError(path, f"cannot read the tokens file: {error}") from None
    table = data.get("tokens", {})
    if not isinstance(table, dict) or not all(
        isinstance(value, str) and _HASH.fullmatch(value) for value in table.values()
    ):
        raise LeafletError(path, "[tokens] must map each name to a SHA-256 hash")
    return Tokens(path, dict(table))


def make_token(path: Path, name: str) -> str:
    """A new token for `name`, replacing any it had; the token itself is returned, never kept."""
    hashes = dict(load_tokens(path).hashes)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    hashes[checked_token_name(name)] = token_hash(token)
    save_tokens(path, hashes)
    return token


def revoke_token(path: Path, name: str) -> None:
    """Remove the token of `name`; an unknown name is an error."""
    hashes = dict(load_tokens(path).hashes)
    if name not in hashes:
        raise LeafletError(path, f"there is no token {name!r}")
    del hashes[name]
    save_tokens(path, hashes)


def save_tokens(path: Path, hashes: dict[str, str]) -> None:
    """Write the file atomically, readable by its owner only."""
    write_owner_only(path, name_table(HEADER, "tokens", hashes), "the tokens file")
