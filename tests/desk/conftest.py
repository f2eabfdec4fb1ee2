"""The desk in-process: one site built once per module, a fresh desk, app and client per test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from leaflets.desk.app import create_app
from leaflets.desk.guard import LockOut
from leaflets.desk.server import open_desk
from leaflets.desk.state import Desk
from leaflets.desk.users import add_user, users_file_beside

from ..desk_browser import PASSWORD, USER, Inbox, smtp_inbox, write_site

_CSRF_FIELD = re.compile(r'name="csrf" value="([^"]+)"')


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Site:
    """A content folder with its leaflets built, a users file, and the mail server it sends to."""

    folder: Path
    built: Desk
    inbox: Inbox


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The example site, its output folder built once: the desk describes leaflets on start."""
    folder = tmp_path_factory.mktemp("desk-routes")
    inbox, smtp = smtp_inbox()
    try:
        clinic = write_site(folder, smtp.port)
        users = users_file_beside(clinic)
        add_user(users, USER, PASSWORD)
        built = open_desk(folder / "content", folder / "output", clinic, users, debug=False)
        try:
            problems = built.catalogue.refresh()
            assert not problems, problems
            yield Site(folder, built, inbox)
        finally:
            built.catalogue.close()
    finally:
        smtp.stop()


@pytest.fixture
def clock() -> Clock:
    """The clock of the login lock-out."""
    return Clock()


@pytest.fixture
def desk(site: Site, clock: Clock) -> Desk:
    """A desk on the built site with nobody logged in, nobody locked out, nothing sent."""
    built = site.built
    return Desk(built.paths, built.profile, built.catalogue, lockout=LockOut(clock=clock))


@pytest.fixture
def app(desk: Desk) -> Starlette:
    """The desk's application."""
    return create_app(desk)


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    """A browser without a session, which shows redirects instead of following them."""
    # The desk answers only to this machine's names, and on it keeps `__Host-` cookies.
    with TestClient(app, base_url="https://127.0.0.1", follow_redirects=False) as browser:
        yield browser


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _CSRF_FIELD.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def log_in(client: TestClient, name: str = USER, password: str = PASSWORD) -> int:
    """Fill in and send the login form; the status of the answer."""
    token = csrf_of(client.get("/login").text)
    form = {"csrf": token, "name": name, "password": password}
    return client.post("/login", data=form).status_code


@pytest.fixture
def logged_in(client: TestClient) -> TestClient:
    """The browser after the receptionist logged in."""
    assert log_in(client) == 303
    return client
