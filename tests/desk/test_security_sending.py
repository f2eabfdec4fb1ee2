"""Sending under attack: concurrent confirms keep to the hourly limit, a confirm is bound to its
exact preview and used once, and nothing is sent when the audit log cannot be written."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from .live import CONFIRM, CSRF, Client, Site, running_site

USERS = ("travl", "dobbelt", "revision")
LEAFLET = "/leaflet/knaesmerter/send"
NOTE = "Lav øvelserne morgen og aften."


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("sending"), users=USERS) as running:
        yield running


def logged_in(site: Site, name: str) -> tuple[Client, str]:
    client = site.client()
    assert client.log_in(name).status == 303
    found = CSRF.search(client.get("/leaflet/knaesmerter").text)
    assert found
    return client, found.group(1)


def preview(client: Client, csrf: str, to: str, note: str = NOTE) -> dict[str, str]:
    """The confirm form of a preview, as the preview page gives it."""
    form = {"csrf": csrf, "step": "preview", "to": to, "name": "", "note": note}
    page = client.post(LEAFLET, form)
    assert page.status == 200, page.text
    found = CONFIRM.search(page.text)
    assert found
    return {**form, "step": "confirm", "confirm": found.group(1)}


def test_six_concurrent_confirms_send_at_most_thirty(site: Site) -> None:
    client, csrf = logged_in(site, "travl")
    confirms = []
    for batch in range(6):
        to = ", ".join(f"p{batch}-{n}@example.org" for n in range(10))
        confirms.append(preview(client, csrf, to))
    before = len(site.inbox.received)
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = [pool.submit(client.post, LEAFLET, form) for form in confirms]
        statuses = [answer.result(timeout=300).status for answer in answers]
    assert sorted(statuses) == [200, 200, 200, 422, 422, 422]
    assert len(site.inbox.received) == before + 30


def test_a_confirm_is_used_once(site: Site) -> None:
    client, csrf = logged_in(site, "dobbelt")
    form = preview(client, csrf, "gentag@example.org")
    before = len(site.inbox.received)
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = [pool.submit(client.post, LEAFLET, form) for _twice in range(2)]
        statuses = sorted(answer.result(timeout=300).status for answer in answers)
    assert statuses == [200, 409]
    again = client.post(LEAFLET, form)
    assert again.status == 409 and "allerede sendt" in again.text
    assert len(site.inbox.received) == before + 1


def test_a_confirm_for_other_addresses_or_another_note_is_refused(site: Site) -> None:
    client, csrf = logged_in(site, "dobbelt")
    before = len(site.inbox.received)
    form = preview(client, csrf, "vist@example.org")
    for changed in (
        {"to": "aldrig-vist@example.org"},
        {"to": "vist@example.org, ekstra@example.org"},
        {"note": "En anden besked."},
        {"name": "Et andet navn"},
        {"confirm": form["confirm"][:-2] + "xx"},
    ):
        answer = client.post(LEAFLET, {**form, **changed})
        assert answer.status == 409 and "Intet er sendt" in answer.text, changed
    other, other_csrf = logged_in(site, "revision")
    assert other.post(LEAFLET, {**form, "csrf": other_csrf}).status == 409  # another session
    assert len(site.inbox.received) == before
    assert client.post(LEAFLET, form).status == 200  # the preview itself still works
    assert len(site.inbox.received) == before + 1


def test_nothing_is_sent_when_the_audit_log_cannot_be_written(site: Site) -> None:
    client, csrf = logged_in(site, "revision")
    form = preview(client, csrf, "revision@example.org")
    audit = site.desk.audit
    kept = audit.with_name("kept.jsonl")
    audit.rename(kept)
    audit.mkdir()  # a folder where the log should be: unwritable even for root
    try:
        before = len(site.inbox.received)
        answer = client.post(LEAFLET, form)
        assert answer.status == 503
        assert "Der blev ikke sendt noget: loggen kunne ikke skrives" in answer.text
        assert len(site.inbox.received) == before
        retry = client.post(LEAFLET, form)
        assert retry.status == 409 and len(site.inbox.received) == before
    finally:
        shutil.rmtree(audit)
        kept.rename(audit)
    form = preview(client, csrf, "revision@example.org")
    assert client.post(LEAFLET, form).status == 200
    entries = audit.read_text().splitlines()
    assert '"action": "send"' in entries[-2] and '"action": "sent"' in entries[-1]
