"""`make-leaflet desk` serves the reception page; `desk-user` keeps its users, `desk-audit`
checks its audit log."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable
from pathlib import Path

import click

from leaflets.cli.params import clinic_option
from leaflets.config.defaults import CONTENT_DIR, OUTPUT_DIR
from leaflets.config.errors import LeafletError
from leaflets.config.hosts import is_local_host

REMOTE_WARNING = (
    "warning: the desk listens on {host}, beyond this machine: staff logins and patients' "
    "addresses then travel over the network; serve it over TLS (--certfile/--keyfile, or a "
    "proxy such as Caddy or nginx, see the README)"
)

users_option = click.option(
    "--users",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The users file (default: desk-users.toml beside clinic.toml).",
)


def _users_file(users: Path | None, clinic: Path) -> Path:
    from leaflets.desk.users import users_file_beside

    return users if users is not None else users_file_beside(clinic)


@click.command("desk")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on.",
)
@click.option(
    "--content",
    type=click.Path(path_type=Path, file_okay=False),
    default=CONTENT_DIR,
    help="The articles' folder (default: content/).",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=OUTPUT_DIR,
    help="The leaflets' folder (default: output/).",
)
@click.option(
    "--certfile",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="TLS certificate (PEM), to serve HTTPS on an address other machines reach.",
)
@click.option(
    "--keyfile",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="The certificate's private key (PEM).",
)
@clinic_option
@users_option
@click.pass_context
def desk(
    ctx: click.Context,
    /,
    host: str,
    port: int,
    content: Path,
    out: Path,
    certfile: Path | None,
    keyfile: Path | None,
    clinic: Path,
    users: Path | None,
) -> None:
    """Serve the reception desk page (http://127.0.0.1:8000 by default)."""
    from leaflets.desk.server import Listen, open_desk, serve

    if (certfile is None) != (keyfile is None):
        raise LeafletError(None, "give both --certfile and --keyfile, or neither")
    if not content.is_dir():
        raise LeafletError(content, "no such folder")
    users_file = _users_file(users, clinic)
    if not users_file.is_file():
        click.echo(
            f"warning: {users_file}: no users yet; add one with `desk-user add NAME`", err=True
        )
    if not is_local_host(host) and certfile is None:
        click.echo(REMOTE_WARNING.format(host=host), err=True)
    debug = bool((ctx.obj or {}).get("debug"))
    opened = open_desk(content, out, clinic, users_file, debug)
    serve(opened, Listen(host, port, certfile, keyfile), lambda line: click.echo(line, err=True))


@click.group("desk-user")
def desk_user() -> None:
    """Add or remove the staff who may log in to the desk, change a password, or manage
    the journal systems' tokens."""


def _audit_change(users_file: Path, name: str) -> Callable[[str], None]:
    """Writes the audit entry of a user change, in the name of this computer's account."""
    from leaflets.desk.audit import AuditEntry, append_entry, audit_file_beside, now_stamp

    def audit(action: str) -> None:
        entry = AuditEntry(now_stamp(), getpass.getuser(), action, subject=name)
        append_entry(audit_file_beside(users_file), entry)

    return audit


@desk_user.command("add")
@click.argument("name")
@clinic_option
@users_option
def add(name: str, clinic: Path, users: Path | None) -> None:
    """Add NAME (or give it a new password), reading the password from standard input."""
    from leaflets.desk.users import add_user, checked_name

    checked_name(name)
    path = _users_file(users, clinic)
    new = add_user(path, name, _password(), _audit_change(path, name))
    click.echo(f"{'added' if new else 'changed the password of'} {name} in {path}")


@desk_user.command("passwd")
@click.argument("name")
@clinic_option
@users_option
def passwd(name: str, clinic: Path, users: Path | None) -> None:
    """Give NAME a new password, read from standard input; NAME's open sessions end."""
    from leaflets.desk.users import change_password

    path = _users_file(users, clinic)
    change_password(path, name, _password(), _audit_change(path, name))
    click.echo(f"changed the password of {name} in {path}")


@desk_user.command("remove")
@click.argument("name")
@clinic_option
@users_option
def remove(name: str, clinic: Path, users: Path | None) -> None:
    """Remove NAME from the users file; NAME's open sessions end."""
    from leaflets.desk.users import remove_user

    path = _users_file(users, clinic)
    remove_user(path, name, _audit_change(path, name))
    click.echo(f"removed {name} from {path}")


@desk_user.command("list")
@clinic_option
@users_option
def list_users(clinic: Path, users: Path | None) -> None:
    """List the users: their names, when each was added and when each last logged in."""
    from leaflets.desk.audit import UserHistory, audit_file_beside, user_histories
    from leaflets.desk.users import load_users

    path = _users_file(users, clinic)
    names = sorted(load_users(path).hashes)
    histories = user_histories(audit_file_beside(path))
    if not names:
        click.echo(f"no users in {path}; add one with `desk-user add NAME`")
    for name in names:
        history = histories.get(name, UserHistory())
        created = _moment(history.created) or "unknown"
        last = _moment(history.last_login) or "never"
        click.echo(f"{name}  added {created}  last login {last}")


def _moment(stamp: str) -> str:
    """An audit time to the minute: 2026-12-07 14:05."""
    return stamp.replace("T", " ")[:16]


@click.group("desk-audit")
def desk_audit() -> None:
    """Check the desk's audit log."""


@desk_audit.command("verify")
@clinic_option
@users_option
def verify(clinic: Path, users: Path | None) -> None:
    """Check that no entry of the audit log was removed, changed or moved."""
    from leaflets.desk.audit import PROBLEMS, audit_file_beside, verify_chain

    path = audit_file_beside(_users_file(users, clinic))
    report = verify_chain(path)
    if not report.whole:
        raise LeafletError(path, f"entry {report.broken_at} {PROBLEMS[report.problem]}")
    click.echo(f"{path}: {report.entries} entries, each following the one before it")
    click.echo(f"seal of the newest entry: {report.head}")


def _password() -> str:
    """Asked twice on a terminal; one line from a pipe."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    line = sys.stdin.readline()
    if not line:
        raise LeafletError(None, "no password on standard input")
    return line.rstrip("\r\n")


# The Infobutton tokens' command lives in its own module, beside the users' commands.
from leaflets.cli.tokens import token  # noqa: E402

desk_user.add_command(token)
