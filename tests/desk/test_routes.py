"""The desk's routes in-process through Starlette's TestClient: login, CSRF, errors, forms."""

from __future__ import annotations

import base64
import html
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from starlette.testclient import TestClient

from leaflets.article.translations import mark_translation
from leaflets.config.defaults import PROJECT_ROOT
from leaflets.desk.app import create_app
from leaflets.desk.guard import LOCK_SECONDS
from leaflets.desk.server import open_desk
from leaflets.desk.state import Desk
from leaflets.desk.texts import desk_texts
from leaflets.desk.users import add_user, users_file_beside
from leaflets.desk.web import HOST_PREFIX, LOGIN_COOKIE
from leaflets.desk.web import SESSION_COOKIE as SESSION

from ..desk_browser import PASSWORD, USER, write_site
from ..paths import TESTS
from .conftest import Clock, Site, csrf_of, log_in

FIXTURES = TESTS / "fixtures" / "translations"
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


PICTURE = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)">')


def sent_page_picture(client: TestClient, name: str, note: str) -> tuple[bytes, str]:
    """The picture of page 1 on the send preview, decoded, and its alt text."""
    form = {"step": "preview", "to": PATIENT, "name": name, "note": note}
    answer = client.post(f"/leaflet/{SLUG}/send", data={**form, "csrf": leaflet_token(client)})
    assert answer.status_code == 200, answer.text[-2000:]
    assert "img-src 'self' data:" in answer.headers["content-security-policy"]
    found = PICTURE.search(answer.text)
    assert found, "the preview shows no picture of the PDF"
    return base64.b64decode(found.group(1), validate=True), html.unescape(found.group(2))


def test_the_send_preview_shows_page_one_of_the_patients_own_pdf(
    logged_in: TestClient, site: Site
) -> None:
    note = "Lav øvelserne morgen og aften, og ring hvis det gør mere ondt."
    personal, alt = sent_page_picture(logged_in, "Anna Jensen", note)
    assert personal.startswith(b"\x89PNG\r\n\x1a\n")
    with Image.open(io.BytesIO(personal)) as picture:
        picture.load()  # decodes every pixel: a broken PNG raises here
        assert picture.format == "PNG"
        width, height = picture.size
    assert width >= 300 and 1.3 < height / width < 1.5  # a whole A4 page, upright
    assert alt == "Side 1 af »Bækkensmerter«, som den bliver sendt"
    plain, _alt = sent_page_picture(logged_in, "", "")
    assert plain != personal  # the note and the name are on the page that is sent
    assert site.inbox.received == []


# Every language of the translations in tests/fixtures, by each name staff may search for.
LANGUAGE_SEARCHES = {
    "english": "en", "engelsk": "en", "English": "en",
    "polsk": "pl", "polish": "pl", "Polski": "pl",
    "ukrainsk": "uk", "ukrainian": "uk",
    "arabisk": "ar", "arabic": "ar",
}  # fmt: skip


@pytest.fixture(scope="module")
def translated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """A desk whose example has an English, a Polish, a Ukrainian and an Arabic translation,
    and whose knee leaflet has an English one only."""
    folder = tmp_path_factory.mktemp("desk-languages")
    clinic = write_site(folder, smtp_port=9)
    content = folder / "content"
    for language in ("en", "pl", "uk", "ar"):
        mark_translation(Path(shutil.copy(FIXTURES / f"baekkensmerter.{language}.md", content)))
    knee = content / "knaesmerter.en.md"
    knee.write_text(
        "---\ntitle: Knee pain\ntranslation_of: knaesmerter.md\n---\n\n"
        "Knee pain is common, and exercise helps most people.\n",
        encoding="utf-8",
    )
    mark_translation(knee)
    users = users_file_beside(clinic)
    add_user(users, USER, PASSWORD)
    built = open_desk(content, folder / "output", clinic, users, debug=False)
    try:
        problems = built.catalogue.refresh()
        assert not problems, problems
        yield built
    finally:
        built.catalogue.close()


@pytest.fixture(scope="module")
def on_translated(translated: Desk) -> Iterator[TestClient]:
    app = create_app(translated)
    with TestClient(app, base_url="https://127.0.0.1", follow_redirects=False) as browser:
        assert log_in(browser) == 303
        yield browser


def card_titles(html_text: str) -> list[str]:
    return re.findall(r'<span class="row-title">([^<]*)</span>', html_text)


@pytest.mark.parametrize(("query", "language"), LANGUAGE_SEARCHES.items())
def test_searching_a_languages_name_finds_the_leaflets_translated_into_it(
    on_translated: TestClient, query: str, language: str
) -> None:
    answer = on_translated.get("/search", params={"q": query})
    assert answer.status_code == 200
    expected = ["Bækkensmerter", "Knæsmerter"] if language == "en" else ["Bækkensmerter"]
    assert sorted(card_titles(answer.text)) == expected
    assert "Dansk · " in answer.text  # each on its own card, with its languages


def test_a_language_nobody_translated_into_finds_nothing(on_translated: TestClient) -> None:
    for query in ("tysk", "german", "svensk"):
        assert card_titles(on_translated.get("/search", params={"q": query}).text) == []
