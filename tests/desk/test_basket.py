"""The basket's routes through Starlette's TestClient: add, change, remove, empty, send."""

from __future__ import annotations

import html
import json
import re

from starlette.testclient import TestClient

from leaflets.deliver.message import attachment_name
from leaflets.desk.forms import MAX_NOTE
from leaflets.desk.state import Desk
from leaflets.desk.texts import desk_texts

from ..smtp_servers import parsed
from .conftest import Site, csrf_of

TEXTS = desk_texts("da")
SLUGS = ("baekkensmerter", "knaesmerter", "skulder")
PATIENTS = ("anna@example.org", "bo@example.org")
_CONFIRM = re.compile(r'name="confirm" value="([^"]+)"')


def token(client: TestClient) -> str:
    return csrf_of(client.get("/basket").text)


def add(client: TestClient, slug: str, variant: str = "standard", back: str = "") -> int:
    form = {"csrf": token(client), "slug": slug, "variant": variant, "back": back}
    return client.post("/basket/add", data=form).status_code


def basket_of(desk: Desk) -> list[tuple[str, str]]:
    """Every session's basket: what the server keeps of it."""
    return [pair for session in desk.sessions._live.values() for pair in session.basket]


def test_leaflets_added_from_the_list_show_on_the_basket_page(
    logged_in: TestClient, desk: Desk
) -> None:
    csrf = token(logged_in)
    answer = logged_in.post(
        "/basket/add", data={"csrf": csrf, "slug": SLUGS[0], "back": "/?q=b%C3%A6kken"}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/?q=b%C3%A6kken"
    assert add(logged_in, SLUGS[1], back="https://other.example/") == 303
    page = logged_in.get("/basket").text
    assert TEXTS["basket_count"].format(count=2) in page
    assert "Bækkensmerter" in page and "Knæsmerter" in page
    assert TEXTS["nav_basket"].format(count=2) in logged_in.get("/").text
    assert basket_of(desk) == [(SLUGS[0], "standard"), (SLUGS[1], "standard")]


def test_going_back_after_adding_stays_on_the_desk(logged_in: TestClient) -> None:
    form = {"csrf": token(logged_in), "slug": SLUGS[0], "back": "//evil.example/"}
    assert logged_in.post("/basket/add", data=form).headers["location"] == "/basket"


def test_the_same_leaflet_twice_is_in_the_basket_once(logged_in: TestClient, desk: Desk) -> None:
    assert add(logged_in, SLUGS[0], "large") == 303
    assert add(logged_in, SLUGS[0]) == 303
    assert basket_of(desk) == [(SLUGS[0], "large")]
    listed = logged_in.get("/").text
    assert listed.count(TEXTS["basket_in"]) == 1
    assert TEXTS["basket_in"] in logged_in.get(f"/leaflet/{SLUGS[0]}").text


def test_an_unknown_leaflet_is_refused_in_a_danish_sentence(
    logged_in: TestClient, desk: Desk
) -> None:
    form = {"csrf": token(logged_in), "slug": "../../etc/passwd", "variant": "standard"}
    answer = logged_in.post("/basket/add", data=form)
    assert answer.status_code == 404
    assert html.escape(TEXTS["error_basket_unknown"]) in answer.text
    assert basket_of(desk) == []


def test_an_unknown_edition_is_refused(logged_in: TestClient, desk: Desk) -> None:
    form = {"csrf": token(logged_in), "slug": SLUGS[0], "variant": "poster"}
    answer = logged_in.post("/basket/add", data=form)
    assert answer.status_code == 422
    assert html.escape(TEXTS["error_variant"]) in answer.text
    assert basket_of(desk) == []


def test_adding_without_the_csrf_token_is_refused(logged_in: TestClient, desk: Desk) -> None:
    answer = logged_in.post("/basket/add", data={"slug": SLUGS[0], "csrf": "forged"})
    assert answer.status_code == 403
    assert html.escape(TEXTS["error_csrf"]) in answer.text
    assert basket_of(desk) == []
    for path in ("/basket/remove", "/basket/empty", "/basket/print", "/basket/send"):
        assert logged_in.post(path, data={"number": "1"}).status_code == 403


def test_without_a_session_the_basket_is_not_shown(client: TestClient) -> None:
    assert client.get("/basket").headers["location"] == "/login"
    assert client.post("/basket/add", data={"slug": SLUGS[0]}).status_code == 403


def test_an_item_is_removed_and_the_basket_emptied(logged_in: TestClient, desk: Desk) -> None:
    for slug in SLUGS:
        assert add(logged_in, slug) == 303
    removed = logged_in.post("/basket/remove", data={"csrf": token(logged_in), "number": "2"})
    assert removed.status_code == 303
    assert basket_of(desk) == [(SLUGS[0], "standard"), (SLUGS[2], "standard")]
    wrong = logged_in.post("/basket/remove", data={"csrf": token(logged_in), "number": "9"})
    assert wrong.status_code == 422
    assert html.escape(TEXTS["error_basket_item"]) in wrong.text
    assert logged_in.post("/basket/empty", data={"csrf": token(logged_in)}).status_code == 303
    assert basket_of(desk) == []
    assert html.escape(TEXTS["basket_empty"]) in logged_in.get("/basket").text


def test_each_item_has_its_own_edition(logged_in: TestClient, desk: Desk) -> None:
    assert add(logged_in, SLUGS[0]) == 303
    assert add(logged_in, SLUGS[1]) == 303
    form = {"csrf": token(logged_in), "number": "2", "variant": "large", "slug": SLUGS[1]}
    assert logged_in.post("/basket/change", data=form).status_code == 303
    assert basket_of(desk) == [(SLUGS[0], "standard"), (SLUGS[1], "large")]
    other = {"csrf": token(logged_in), "number": "1", "variant": "standard", "slug": SLUGS[1]}
    refused = logged_in.post("/basket/change", data=other)  # not a translation of the first
    assert refused.status_code == 422
    assert html.escape(TEXTS["error_language"]) in refused.text
    assert basket_of(desk) == [(SLUGS[0], "standard"), (SLUGS[1], "large")]


def test_printing_an_empty_basket_says_so(logged_in: TestClient) -> None:
    form = {"csrf": token(logged_in), "copies": "1", "printer": ""}
    answer = logged_in.post("/basket/print", data=form)
    assert answer.status_code == 422
    assert html.escape(TEXTS["error_basket_empty"]) in answer.text


def test_the_note_follows_the_single_leaflet_rule(logged_in: TestClient) -> None:
    assert add(logged_in, SLUGS[0]) == 303
    form = {"csrf": token(logged_in), "step": "preview", "to": PATIENTS[0], "note": "x" * 5000}
    answer = logged_in.post("/basket/send", data=form)
    assert answer.status_code == 422
    assert html.escape(TEXTS["error_note_long"].format(limit=MAX_NOTE, length=5000)) in answer.text
    assert answer.text.count('role="alert"') == 1


def test_a_basket_of_three_goes_as_one_message_per_patient(
    logged_in: TestClient, desk: Desk, site: Site
) -> None:
    for slug in SLUGS:
        assert add(logged_in, slug) == 303
    site.inbox.received.clear()
    typed = {"to": ", ".join(PATIENTS), "name": "Anna", "note": "Lav øvelserne hver dag."}
    preview = logged_in.post("/basket/send", data={"csrf": token(logged_in), **typed})
    assert preview.status_code == 200
    for patient in PATIENTS:
        assert f"<li>{patient}</li>" in preview.text
    assert "Bækkensmerter" in preview.text and "Knæsmerter" in preview.text
    assert site.inbox.received == []
    confirm = _CONFIRM.search(preview.text)
    assert confirm
    form = {"csrf": token(logged_in), "step": "confirm", "confirm": confirm.group(1), **typed}
    done = logged_in.post("/basket/send", data=form)
    assert done.status_code == 200, done.text
    assert [envelope.rcpt_tos for envelope in site.inbox.received] == [[p] for p in PATIENTS]
    titles = [desk.catalogue.record(slug).title for slug in SLUGS]  # type: ignore[union-attr]
    for envelope in site.inbox.received:
        message = parsed(envelope.original_content)
        names = [part.get_filename() for part in message.iter_attachments()]
        assert names == [attachment_name(title) for title in titles]
        assert all(part.get_content()[:5] == b"%PDF-" for part in message.iter_attachments())
    line = re.search(r'<p class="record-line" id="record-line">([^<]+)</p>', done.text)
    assert line
    record = html.unescape(line.group(1))
    assert record.count("Patientinformation udleveret") == 1
    assert record.count("»") == 3 and record.count("med personlig besked") == 1
    assert record.endswith("sendt på e-mail til 2 modtagere.")
    sent = [json.loads(entry) for entry in desk.paths.audit.read_text("utf-8").splitlines()]
    assert [entry["action"] for entry in sent[-2:]] == ["send", "sent"]
    assert sent[-1]["record"] == record and sent[-1]["slug"] == " + ".join(SLUGS)
    audit = desk.paths.audit.read_text("utf-8")
    assert "Anna" not in audit and "øvelserne" not in audit and PATIENTS[0] not in audit
    log = logged_in.get("/log").text
    assert log.count("Patientinformation udleveret") == 1  # the outcome's entry, with the line
    again = logged_in.post("/basket/send", data=form)
    assert again.status_code == 409
    assert len(site.inbox.received) == 2


def test_a_booklet_with_another_edition_is_refused_before_the_printer(
    logged_in: TestClient,
) -> None:
    assert add(logged_in, SLUGS[0], "booklet") == 303
    assert add(logged_in, SLUGS[1]) == 303
    form = {"csrf": token(logged_in), "copies": "1", "printer": "nowhere"}
    answer = logged_in.post("/basket/print", data=form)
    assert answer.status_code == 422
    assert html.escape(TEXTS["error_basket_mixed"]) in answer.text
