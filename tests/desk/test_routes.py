"""The desk's routes in-process through Starlette's TestClient: login, CSRF, errors, forms."""

from __future__ import annotations

import re

import pytest
from starlette.testclient import TestClient

from leaflets.config.defaults import PROJECT_ROOT
from leaflets.desk.guard import LOCK_SECONDS
from leaflets.desk.state import Desk
from leaflets.desk.texts import desk_texts
from leaflets.desk.web import HOST_PREFIX, LOGIN_COOKIE
from leaflets.desk.web import SESSION_COOKIE as SESSION

from ..desk_browser import PASSWORD, USER
from .conftest import Clock, Site, csrf_of, log_in

SESSION_COOKIE_NAME = HOST_PREFIX + SESSION
TEXTS = desk_texts("da")
SLUG = "baekkensmerter"
PATIENT = "patient@example.org"
# A hash, a job number or a token the desk made: 32 hex digits or more.
LONG_HEX = re.compile(r"[0-9a-f]{32,}")


def audit_text(desk: Desk) -> str:
    """The audit log as it is now ('' before the first entry)."""
    path = desk.paths.audit
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def leaflet_token(client: TestClient) -> str:
    """The session's CSRF token, from the forms of the leaflet's page."""
    return csrf_of(client.get(f"/leaflet/{SLUG}").text)


def shows_nothing_inside(html: str, site: Site) -> bool:
    """Whether a page is free of folders, hashes, job numbers and tracebacks."""
    inside = (str(site.folder), str(PROJECT_ROOT), "Traceback", TEXTS["printed"].split("{")[0])
    return not any(text in html for text in inside) and not LONG_HEX.search(html)


def test_the_login_page_sets_a_csrf_cookie_and_asks_for_name_and_password(
    client: TestClient,
) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert TEXTS["login_title"] in page.text
    assert csrf_of(page.text) == client.cookies[HOST_PREFIX + LOGIN_COOKIE]


def test_logging_in_opens_the_list_of_leaflets(client: TestClient) -> None:
    assert client.get("/").headers["location"] == "/login"
    assert log_in(client) == 303
    start = client.get("/")
    assert start.status_code == 200
    assert TEXTS["logged_in_as"].format(user=USER) in start.text
    assert "Bækkensmerter" in start.text and "Knæsmerter" in start.text


def test_a_wrong_password_is_refused_with_the_desks_sentence(client: TestClient) -> None:
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"csrf": token, "name": USER, "password": "forkert"})
    assert answer.status_code == 401
    assert TEXTS["login_failed"] in answer.text
    assert SESSION_COOKIE_NAME not in client.cookies
    assert client.get("/").status_code == 303


def test_logging_out_ends_the_session_for_good(logged_in: TestClient) -> None:
    cookie = logged_in.cookies[SESSION_COOKIE_NAME]
    out = logged_in.post("/logout", data={"csrf": leaflet_token(logged_in)})
    assert out.status_code == 303 and out.headers["location"].startswith("/login")
    logged_in.cookies.set(SESSION_COOKIE_NAME, cookie)  # the old cookie, kept by a careless browser
    assert logged_in.get("/").headers["location"] == "/login"
    refused = logged_in.post("/logout", data={"csrf": "x"})
    assert refused.status_code == 403
    assert TEXTS["session_ended"] in refused.text


def test_a_login_without_the_forms_token_is_refused(client: TestClient) -> None:
    client.get("/login")
    answer = client.post("/login", data={"name": USER, "password": PASSWORD})
    assert answer.status_code == 403
    assert TEXTS["error_csrf"] in answer.text
    assert SESSION_COOKIE_NAME not in client.cookies


@pytest.mark.parametrize("token", [None, "", "ikke-den-rigtige"], ids=["none", "empty", "wrong"])
def test_a_post_without_the_sessions_token_changes_nothing(
    logged_in: TestClient, desk: Desk, site: Site, token: str | None
) -> None:
    before = audit_text(desk)
    form = {"to": PATIENT, "step": "confirm", "copies": "1", "variant": "standard"}
    if token is not None:
        form["csrf"] = token
    for action in ("send", "print"):
        answer = logged_in.post(f"/leaflet/{SLUG}/{action}", data=form)
        assert answer.status_code == 403
        assert TEXTS["error_csrf"] in answer.text
    assert logged_in.post("/logout", data=form).status_code == 403
    assert logged_in.get("/").status_code == 200  # still logged in
    assert site.inbox.received == []
    assert audit_text(desk) == before


@pytest.mark.parametrize(
    "path", ["/leaflet/ingen-folder", "/leaflet/ingen-folder/leaflet.pdf", "/ingen/side"]
)
def test_an_unknown_leaflet_or_path_is_a_404_in_danish(logged_in: TestClient, path: str) -> None:
    answer = logged_in.get(path)
    assert answer.status_code == 404
    assert TEXTS["error_not_found"] in answer.text


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", f"/leaflet/{SLUG}/print"), ("GET", "/logout"), ("POST", "/"), ("PUT", "/login")],
)
def test_a_wrong_method_is_a_405(logged_in: TestClient, method: str, path: str) -> None:
    answer = logged_in.request(method, path)
    assert answer.status_code == 405
    assert TEXTS["error_not_found"] in answer.text


def test_wrong_passwords_lock_the_name_even_against_the_right_one(
    client: TestClient, desk: Desk, clock: Clock
) -> None:
    for _attempt in range(desk.lockout.failures - 1):
        assert log_in(client, password="forkert") == 401
        clock.now += 60
    assert log_in(client, password="forkert") == 401  # the last failure allowed locks the name
    token = csrf_of(client.get("/login").text)
    locked = client.post("/login", data={"csrf": token, "name": USER, "password": PASSWORD})
    assert locked.status_code == 429
    assert TEXTS["locked_out"].format(minutes=LOCK_SECONDS // 60) in locked.text
    assert SESSION_COOKIE_NAME not in client.cookies
    clock.now += LOCK_SECONDS - 1
    assert log_in(client) == 429
    clock.now += 1
    assert log_in(client) == 303


PRINT = {"copies": "1", "variant": "standard", "printer": ""}
FORM_ERRORS = {
    "copies 0": ("print", {**PRINT, "copies": "0"}, TEXTS["error_copies"]),
    "copies 101": ("print", {**PRINT, "copies": "101"}, TEXTS["error_copies"]),
    "copies abc": ("print", {**PRINT, "copies": "abc"}, TEXTS["error_copies"]),
    "unknown variant": ("print", {**PRINT, "variant": "plakat"}, TEXTS["error_variant"]),
    "unknown printer": ("print", {**PRINT, "printer": "ingen-printer"}, TEXTS["error_printer"]),
    "no address": ("send", {"to": "  ", "step": "preview"}, TEXTS["error_no_address"]),
    "bad address": (
        "send",
        {"to": f"{PATIENT}, ikke-en-adresse", "step": "confirm"},
        TEXTS["error_address"].format(number=2),
    ),
}


@pytest.mark.parametrize(("action", "form", "sentence"), FORM_ERRORS.values(), ids=FORM_ERRORS)
def test_a_wrong_form_is_the_desks_sentence_and_nothing_done(
    logged_in: TestClient,
    desk: Desk,
    site: Site,
    action: str,
    form: dict[str, str],
    sentence: str,
) -> None:
    before = audit_text(desk)
    answer = logged_in.post(
        f"/leaflet/{SLUG}/{action}", data={**form, "csrf": leaflet_token(logged_in)}
    )
    assert answer.status_code == 422
    assert re.search(rf'<p class="alert" role="alert"[^>]*>{re.escape(sentence)}</p>', answer.text)
    assert shows_nothing_inside(answer.text, site)
    assert site.inbox.received == []
    assert audit_text(desk) == before
