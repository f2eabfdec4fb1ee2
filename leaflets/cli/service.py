"""`desk-service`: a systemd unit that runs the desk for staff, hardened, restarted on failure
and started at boot."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from leaflets.api import write_atomically
from leaflets.cli.params import clinic_option
from leaflets.config.defaults import CONTENT_DIR, OUTPUT_DIR
from leaflets.config.errors import LeafletError, printable

UNIT = """\
# The reception desk of leaflets, written by `make-leaflet desk-service`.
[Unit]
Description=leaflets reception desk
Documentation=file://{docs}
After=network-online.target cups.service
Wants=network-online.target

[Service]
Type=simple
User={user}
Group={group}
WorkingDirectory={project}
ExecStart={command}
# The mail password, if email is used: LEAFLET_SMTP_PASSWORD=... in a file only root can read.
EnvironmentFile=-/etc/leaflets/desk.env
Restart=on-failure
RestartSec=5
UMask=0077

# The desk writes only its output folder and its users and audit files.
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=read-only
ReadWritePaths={writable}
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
LockPersonality=yes
CapabilityBoundingSet=
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
SystemCallArchitectures=native

[Install]
WantedBy=multi-user.target
"""


@click.command("desk-service")
@click.option("--user", default="leaflets", show_default=True, help="The unprivileged user.")
@click.option("--group", default=None, help="Its group (default: the same as --user).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--content", type=click.Path(path_type=Path, file_okay=False), default=CONTENT_DIR)
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), default=OUTPUT_DIR)
@clinic_option
@click.option(
    "-o",
    "--output",
    "target",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the unit here (e.g. /etc/systemd/system/leaflets-desk.service); else print it.",
)
def desk_service(target: Path | None, **given: object) -> None:
    """Write a systemd unit that runs the desk as an unprivileged user, restarts it on failure
    and starts it at boot, with systemd's hardening.

    \b
    Example:
      sudo .venv/bin/make-leaflet desk-service --user leaflets \\
          -o /etc/systemd/system/leaflets-desk.service
      sudo systemctl daemon-reload && sudo systemctl enable --now leaflets-desk
      journalctl -u leaflets-desk -f
    """
    text = unit_text(**given)  # type: ignore[arg-type]
    if target is None:
        click.echo(text, nl=False)
        return
    write_atomically(target, text.encode())
    click.echo(printable(f"wrote {target}"))


def unit_text(
    user: str, group: str | None, host: str, port: int, content: Path, out: Path, clinic: Path
) -> str:
    """The unit for this checkout's desk, every path absolute."""
    if not user.replace("-", "").replace("_", "").isalnum():
        raise LeafletError(None, f"--user {user!r} is not a plain user name")
    program = Path(sys.executable).parent / "make-leaflet"
    clinic = clinic.resolve()
    command = [str(program), "desk", "--host", host, "--port", str(port)]
    command += ["--content", str(content.resolve()), "--out", str(out.resolve())]
    command += ["--clinic", str(clinic)]
    return UNIT.format(
        docs=clinic.parent / "README.md",
        user=user,
        group=group or user,
        project=clinic.parent,
        command=shlex.join(command),
        writable=" ".join(shlex.quote(str(path)) for path in (out.resolve(), clinic.parent)),
    )
