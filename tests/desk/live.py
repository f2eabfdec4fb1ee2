"""A real desk for the security tests, and a small HTTP client that keeps its cookies."""

from __future__ import annotations

import http.client
import re
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller

from ..cups_server import CupsServer, start_server
from ..desk_browser import PASSWORD, USER, DeskServer, Inbox, add_user, desk_env, smtp_inbox
from ..desk_browser import write_site as write_site

PRINTER = "desk-pdf"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
CONFIRM = re.compile(r'name="confirm" value="([^"]+)"')


@dataclass
class Answer:
    """One response: status, text and the cookies it set."""

    status: int
    text: str
    headers: list[tuple[str, str]]


@dataclass
class Client:
    """A browser-like client of one desk: one connection per request, cookies kept by name."""

    port: int
    host: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            answer = Answer(response.status, text, response.getheaders())
        finally:
            connection.close()
        for name, value in answer.headers:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0].strip('"')
                if "max-age=0" in value.lower() or not cookie_value:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = cookie_value
        return answer

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Answer:
        return self.request("POST", path, form)

    def csrf(self, path: str) -> str:
        found = CSRF.search(self.get(path).text)
        assert found, f"no form on {path}"
        return found.group(1)

    def log_in(self, name: str = USER, password: str = PASSWORD) -> Answer:
        token = self.csrf("/login")
        return self.post("/login", {"csrf": token, "name": name, "password": password})


@dataclass
class Site:
    """A desk with its SMTP server (and, when asked, a CUPS scheduler)."""

    desk: DeskServer
    inbox: Inbox
    smtp: Controller
    cups: CupsServer | None

    @property
    def port(self) -> int:
        return self.desk.port

    def client(self) -> Client:
        return Client(self.port)

    def pid(self) -> int:
        assert self.desk.process is not None
        return self.desk.process.pid


@contextmanager
def running_site(
    folder: Path, users: tuple[str, ...] = (USER,), printing: bool = False
) -> Iterator[Site]:
    """A desk on `folder` with these users, stopped with everything it talks to afterwards."""
    cups = start_server() if printing else None
    inbox, smtp = smtp_inbox()
    try:
        if cups is not None:
            cups.add_pdf_printer(PRINTER)
        clinic = write_site(folder, smtp.port)
        for name in users:
            add_user(clinic, name)
        (folder / "home").mkdir()
        desk = DeskServer(folder, clinic, desk_env(folder / "home", cups.socket if cups else None))
        desk.start()
        try:
            yield Site(desk, inbox, smtp, cups)
        finally:
            desk.stop()
    finally:
        smtp.stop()
        if cups is not None:
            cups.stop()


def server_rss_kib(pid: int) -> int:
    """The resident memory of the desk's server process, from /proc (VmRSS, in KiB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS for {pid}")


def server_peak_kib(pid: int) -> int:
    """The highest resident memory the desk's server process has had (VmHWM, in KiB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmHWM for {pid}")
