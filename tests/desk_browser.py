"""Helpers for the desk's tests: a real desk server, a real SMTP server, Chromium, axe-core."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from leaflets.config.defaults import PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
START_SECONDS = 120
PASSWORD = "riktig-hemmelig"
USER = "receptionist"
KNEE = """\
---
title: Knæsmerter
id: 7
version: 2
datePublished: 2025-09-01
---

Ondt i knæet er almindeligt, og de fleste bliver bedre med øvelser.

## Øvelser for knæet

Bøj og stræk knæet roligt ti gange, morgen og aften.

## Ofte stillede spørgsmål om knæsmerter

### Må jeg løbe med ondt i knæet?

Ja, hvis smerterne ikke bliver værre dagen efter.
"""
HOSTILE = """\
---
title: "<script>alert('x')</script> Skulder"
datePublished: 2020-01-01
---

Teksten er <b>fed</b> og <img src=x onerror=alert(1)>.
"""


def free_port() -> int:
    """A free port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps each message it receives."""

    received: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(envelope)
        return "250 OK: queued"


def smtp_inbox() -> tuple[Inbox, Controller]:
    """A plain SMTP server on 127.0.0.1, started; the caller stops it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return inbox, controller


def write_site(folder: Path, smtp_port: int, language: str = "da", title: str = "") -> Path:
    """A content folder with three articles and a clinic profile; returns clinic.toml."""
    content = folder / "content"
    content.mkdir(parents=True)
    example = (PROJECT_ROOT / "content" / "baekkensmerter.md").read_text(encoding="utf-8")
    if title:
        example = example.replace("title: Bækkensmerter", f"title: {title}", 1)
    (content / "baekkensmerter.md").write_text(example, encoding="utf-8")
    (content / "knaesmerter.md").write_text(KNEE, encoding="utf-8")
    (content / "skulder.md").write_text(HOSTILE, encoding="utf-8")
    clinic = folder / "clinic.toml"
    clinic.write_text(
        f"""\
[clinic]
name = "Fysioterapi Søndergade"
email = "kontakt@fysio.example.dk"
phone = "+45 86 12 34 56"

[leaflets]
language = "{language}"
id_prefix = "FYS"

[style]
primary_color = "#0f5c5a"

[smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
""",
        encoding="utf-8",
    )
    return clinic


def add_user(clinic: Path, name: str = USER, password: str = PASSWORD) -> None:
    """`make-leaflet desk-user add NAME`, the password from a pipe."""
    subprocess.run(
        [
            sys.executable,
            str(PROJECT_ROOT / "make_leaflet.py"),
            "desk-user",
            "add",
            name,
            "--clinic",
            str(clinic),
        ],
        input=password + "\n",
        text=True,
        check=True,
        capture_output=True,
        timeout=60,
    )


@dataclass
class DeskServer:
    """The real desk, started with `make-leaflet desk` in a subprocess."""

    folder: Path
    clinic: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.folder / "desk.log"

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    @property
    def output(self) -> Path:
        return self.folder / "output"

    @property
    def audit(self) -> Path:
        return self.clinic.parent / "desk-audit.jsonl"

    def start(self, *extra: str, desk_options: tuple[str, ...] = ()) -> None:
        command = [sys.executable, str(PROJECT_ROOT / "make_leaflet.py"), *extra, "desk"]
        command += [*desk_options, "--port", str(self.port)]
        command += ["--content", str(self.folder / "content")]
        command += ["--out", str(self.output), "--clinic", str(self.clinic)]
        self.process = subprocess.Popen(
            command,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log_path.open("wb"),
            cwd=self.folder,
        )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the desk stopped: {self.log}")
            if "Uvicorn running" in self.log:
                return
            time.sleep(0.2)
        raise RuntimeError(f"the desk did not start within {START_SECONDS} s: {self.log}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)


def desk_env(home: Path, cups_socket: Path | None = None) -> dict[str, str]:
    """The environment for the desk: a private HOME and the private CUPS scheduler."""
    env = {key: value for key, value in os.environ.items() if key not in ("LPDEST", "PRINTER")}
    env["HOME"] = str(home)
    env.pop("LEAFLET_SMTP_PASSWORD", None)
    if cups_socket is not None:
        env["CUPS_SERVER"] = str(cups_socket)
    return env


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium, by its path: Playwright's own download is not used."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])


def log_in(page: Any, url: str, name: str = USER, password: str = PASSWORD) -> None:
    """Log in through the form, as staff do."""
    page.goto(f"{url}/login")
    page.get_by_label("Brugernavn").fill(name)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """The serious and critical axe-core violations on the page shown."""
    if not AXE.is_file():
        raise RuntimeError(f"axe-core is missing at {AXE}: run `make test` (npm installs it)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
