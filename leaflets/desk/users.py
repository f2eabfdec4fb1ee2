"""Desk users: names and argon2 password hashes in a TOML file beside clinic.toml."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from leaflets.config.errors import LeafletError
from leaflets.config.files import name_table, write_owner_only

USERS_FILE_NAME = "desk-users.toml"
MIN_PASSWORD = 8
MAX_PASSWORD = 1024
# zxcvbn judges at most 72 characters; a password that long is not among the common ones.
JUDGED_CHARACTERS = 72
# zxcvbn's score 0 or 1: within about a million guesses (a common password, or one close by).
MIN_STRENGTH = 2
_NAME = re.compile(r"[\w.@-]{1,64}")
_HASHER = PasswordHasher()
# Verifying an unknown name against this costs as much as a known one, so timing tells nothing.
_DUMMY_HASH = _HASHER.hash("not a password anyone has")

HEADER = (
    "# Reception desk users and their argon2 password hashes.\n"
    "# Change it with `make-leaflet desk-user add NAME`, `desk-user passwd NAME` and\n"
    "# `desk-user remove NAME`.\n"
)
# Called with the change ("user-add", "user-passwd", "user-remove") once it has been checked
# and before it is saved: it writes the audit entry, and raises to stop the change.
Audit = Callable[[str], None]


@dataclass(frozen=True)
class Users:
    """The users file and the hashes in it."""

    path: Path
    hashes: dict[str, str]

    def verify(self, name: str, password: str) -> bool:
        """Whether `password` is the user's; unknown names take as long as known ones."""
        stored = self.hashes.get(name, _DUMMY_HASH)
        try:
            return _HASHER.verify(stored, password) and name in self.hashes
        except (VerificationError, InvalidHashError):
            return False


def users_file_beside(clinic: Path) -> Path:
    """Where the users file lives: in the folder of clinic.toml."""
    return clinic.parent / USERS_FILE_NAME


def checked_name(name: str) -> str:
    """A user name of letters, digits and . _ @ -, at most 64 characters."""
    if not _NAME.fullmatch(name):
        raise LeafletError(
            None, f"user name {name!r} must be 1–64 letters, digits or the characters . _ @ -"
        )
    return name


def checked_password(password: str, name: str = "") -> str:
    """A password of 8 to 1024 characters that is not common, nor close to a common one."""
    if len(password) < MIN_PASSWORD:
        raise LeafletError(None, f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise LeafletError(None, f"the password must have at most {MAX_PASSWORD} characters")
    if is_common(password, name):
        raise LeafletError(
            None, "the password is too common or too easy to guess: choose a longer or rarer one"
        )
    return password


def is_common(password: str, name: str = "") -> bool:
    """Whether the password is among the commonest, or a small change of one (or of the name)."""
    from zxcvbn import zxcvbn

    inputs = [name, "leaflets", "desk", "reception", "receptionen"]
    found = zxcvbn(password[:JUDGED_CHARACTERS], user_inputs=[word for word in inputs if word])
    return int(found["score"]) < MIN_STRENGTH


def load_users(path: Path) -> Users:
    """The users in `path`; no file means no users yet."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return Users(path, {})
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise LeafletError(path, f"cannot read the users file: {error}") from None
    table = data.get("users", {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise LeafletError(path, "[users] must map each name to a password hash")
    return Users(path, dict(table))


def add_user(path: Path, name: str, password: str, audit: Audit | None = None) -> bool:
    """Add the user, or give a known one a new password; True when the name was new."""
    users = load_users(path)
    hashes = dict(users.hashes)
    new = checked_name(name) not in hashes
    hashes[name] = _HASHER.hash(checked_password(password, name))
    if audit is not None:
        audit("user-add" if new else "user-passwd")
    save_users(path, hashes)
    return new


def change_password(path: Path, name: str, password: str, audit: Audit | None = None) -> str:
    """Give a known user a new password; its new hash."""
    hashes = dict(load_users(path).hashes)
    if name not in hashes:
        raise LeafletError(path, f"there is no user {name!r}")
    hashes[name] = _HASHER.hash(checked_password(password, name))
    if audit is not None:
        audit("user-passwd")
    save_users(path, hashes)
    return hashes[name]


def remove_user(path: Path, name: str, audit: Audit | None = None) -> None:
    """Remove the user; an unknown name is an error."""
    hashes = dict(load_users(path).hashes)
    if name not in hashes:
        raise LeafletError(path, f"there is no user {name!r}")
    del hashes[name]
    if audit is not None:
        audit("user-remove")
    save_users(path, hashes)


def save_users(path: Path, hashes: dict[str, str]) -> None:
    """Write the file atomically, readable by its owner only."""
    write_owner_only(path, name_table(HEADER, "users", hashes), "the users file")
