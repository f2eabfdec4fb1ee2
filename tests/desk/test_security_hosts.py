"""The desk answers only to its own host names, and its cookies are `__Host-` cookies.

A DNS-rebinding page (evil.example resolving to 127.0.0.1) reaches the desk's port with its own
name in the Host header: it gets 400 and can neither log in nor lock a real user out.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from ..desk_browser import CHROMIUM, PASSWORD, USER
from .live import Client, Site, running_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("hosts")) as running:
        yield running


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "10.0.0.1"])
def test_another_host_name_gets_400_and_no_cookie(site: Site, host: str) -> None:
    stranger = Client(site.port, host=host)
    answer = stranger.get("/login")
    assert answer.status == 400
    assert not any(name.lower() == "set-cookie" for name, _value in answer.headers)
    assert stranger.post("/login", {"name": USER, "password": PASSWORD}).status == 400


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_the_desk_answers_to_this_machine(site: Site, host: str) -> None:
    assert Client(site.port, host=host).get("/login").status == 200


def test_a_rebinding_page_cannot_lock_out_a_user(site: Site) -> None:
    stranger = Client(site.port, host="evil.example")
    for _attempt in range(8):
        answer = stranger.post("/login", {"csrf": "x", "name": USER, "password": "forkert-kode"})
        assert answer.status == 400
    staff = site.client()
    assert staff.log_in().status == 303
    assert staff.get("/").status == 200


def test_cookies_are_host_cookies_and_a_planted_one_is_ignored(site: Site) -> None:
    client = site.client()
    answer = client.get("/login")
    cookie = next(value for name, value in answer.headers if name.lower() == "set-cookie")
    assert cookie.startswith("__Host-desk_login=")
    lowered = cookie.lower()
    assert "secure" in lowered and "path=/" in lowered and "domain" not in lowered
    assert "httponly" in lowered and "samesite=strict" in lowered
    # Login CSRF: a cookie an attacker could plant (no __Host- prefix) is not the desk's.
    planted = Client(site.port, cookies={"desk_login": "planted"})
    answer = planted.post("/login", {"csrf": "planted", "name": USER, "password": PASSWORD})
    assert answer.status == 403
    assert not any(name.startswith("__Host-desk_session") for name in planted.cookies)


def test_chromium_through_a_rebound_name_is_refused(site: Site, tmp_path: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--host-resolver-rules=MAP evil.example 127.0.0.1"],
        )
        try:
            page = browser.new_page()
            answer = page.goto(f"http://evil.example:{site.port}/login")
            assert answer is not None and answer.status == 400
            assert page.context.cookies() == []
            answer = page.goto(f"http://127.0.0.1:{site.port}/login")
            assert answer is not None and answer.status == 200
            page.get_by_label("Brugernavn").fill(USER)
            page.get_by_label("Adgangskode").fill(PASSWORD)
            page.get_by_role("button", name="Log ind").click()
            page.wait_for_url(f"http://127.0.0.1:{site.port}/")
            names = {cookie["name"]: cookie for cookie in page.context.cookies()}
            assert names["__Host-desk_session"]["secure"]
        finally:
            browser.close()
