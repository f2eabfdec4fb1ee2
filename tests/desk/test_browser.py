"""The reception desk in a real browser: Chromium through Playwright, against the real server,
with a real SMTP server and the private CUPS scheduler with its cups-pdf printer."""

from __future__ import annotations

import getpass
import hashlib
import http.client
import io
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, Page, expect, sync_playwright

from ..cups_server import CupsServer, cups_pdf_folder, start_server, wait_for_pdf
from ..desk_browser import (
    KNEE,
    PASSWORD,
    DeskServer,
    Inbox,
    add_user,
    axe_violations,
    desk_env,
    launch_chromium,
    log_in,
    smtp_inbox,
    write_site,
)

PRINTER = "desk-pdf"
STOPPED = "venterum"  # a second queue, which a test stops and makes refuse jobs
PATIENT = "patient.jensen@example.org"
NOTE = "Lav øvelserne morgen og aften, og ring hvis smerterne bliver værre."
TOKEN = f"deskprint{uuid.uuid4().hex[:8]}"
TITLE = f"Bækkensmerter {TOKEN}"
HOSTILE_TITLE = "<script>alert('x')</script> Skulder"
# An English translation that follows an older Danish text: its recorded hash is not the source's.
TRANSLATION = f"""\
---
title: Pelvic pain {TOKEN}
datePublished: 2025-09-01
source_hash: 000000000000
---

Pain in the pelvis is common in pregnancy, and most women get better with exercise.
"""


@dataclass
class Site:
    """One desk with everything it talks to."""

    desk: DeskServer
    cups: CupsServer
    inbox: Inbox
    smtp: Controller
    shots: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("desk")
    cups = start_server()
    try:
        cups.add_pdf_printer(PRINTER)
        cups.add_pdf_printer(STOPPED)
        inbox, smtp = smtp_inbox()
        clinic = write_site(folder, smtp.port, title=TITLE)
        (folder / "content" / "baekkensmerter.en.md").write_text(TRANSLATION, encoding="utf-8")
        for name in ("receptionist", "vikar", "travl"):
            add_user(clinic, name)
        desk = DeskServer(folder, clinic, desk_env(folder / "home", cups.socket))
        (folder / "home").mkdir()
        shots = folder / "screenshots"
        shots.mkdir()
        site = Site(desk, cups, inbox, smtp, shots)
        try:
            desk.start()
            yield site
        finally:
            desk.stop()
            site.smtp.stop()
    finally:
        cups.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, site: Site) -> Iterator[Page]:
    """A fresh browser context at the desk's size, logged in, failing on any dialog."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="da-DK")
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(tab, site.desk.url)
    yield tab
    context.close()
    assert not dialogs, f"a script ran: {dialogs}"


def shot(page: Page, site: Site, name: str) -> None:
    page.screenshot(path=str(site.shots / f"{name}.png"), full_page=True)


def csrf(page: Page) -> str:
    return str(page.locator("input[name=csrf]").first.input_value())


def pdf_pages(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def audit_lines(site: Site) -> list[dict[str, Any]]:
    if not site.desk.audit.is_file():
        return []
    return [json.loads(line) for line in site.desk.audit.read_text().splitlines()]


def test_log_in_search_as_you_type_and_open(page: Page, site: Site) -> None:
    expect(page.get_by_role("heading", name="Patientfoldere")).to_be_visible()
    expect(page.locator(".leaflet-row")).to_have_count(3)
    thumb = page.locator(".leaflet-row img").first
    expect(thumb).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", thumb.element_handle()) > 100
    shot(page, site, "list")
    search = page.get_by_label("Søg")
    search.press_sequentially("bækken", delay=20)  # no Enter: results come while typing
    expect(page.locator(".leaflet-row")).to_have_count(1)
    expect(page.locator(".row-title")).to_have_text(TITLE)
    search.fill("")
    search.press_sequentially("knae", delay=20)
    expect(page.locator(".row-title")).to_have_count(1)
    expect(page.locator(".row-title")).to_have_text("Knæsmerter")
    search.fill("knæ")
    search.press("Enter")
    expect(page.locator(".row-title")).to_have_text("Knæsmerter")
    shot(page, site, "search")
    page.locator(".row-link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Knæsmerter")
    expect(page.locator(".facts")).to_contain_text("FYS-007")
    expect(page.locator(".pages img")).to_have_count(1)
    expect(page.locator(".facts")).to_contain_text("01.09.2025")
    response = page.request.get(page.url + "/leaflet.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    shot(page, site, "leaflet")


def test_print_two_copies_reaches_the_printer(page: Page, site: Site) -> None:
    page.goto(f"{site.desk.url}/leaflet/baekkensmerter")
    page.get_by_label("Antal").fill("2")
    page.get_by_label("Printer").select_option(PRINTER)
    page.get_by_role("button", name="Udskriv").click()
    # Staff read which printer and how many, never CUPS's job id.
    expect(page.get_by_role("status")).to_have_text(f"Sendt til printeren »{PRINTER}«: 2 stk.")
    asked, entry = audit_lines(site)[-2:]
    assert asked["action"] == "print" and asked["copies"] == 2 and not asked["job"]
    assert entry["action"] == "printed" and entry["copies"] == 2 and entry["job"]
    line = page.locator("#record-line").inner_text()
    assert TITLE in line and "udskrevet 2 stk." in line
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Kopiér").click()
    expect(page.get_by_role("button", name="Kopieret")).to_be_visible()
    assert page.evaluate("() => navigator.clipboard.readText()") == line
    shot(page, site, "printed")
    site.cups.wait_for_job(entry["job"])
    arrived = wait_for_pdf(cups_pdf_folder(getpass.getuser()), TOKEN)
    try:
        built = site.desk.output / "baekkensmerter.pdf"
        sides = pdf_pages(built) + pdf_pages(built) % 2  # duplex: a blank back after an odd page
        assert pdf_pages(arrived) == 2 * sides
    finally:
        arrived.unlink(missing_ok=True)


def test_send_with_a_note_after_a_preview(page: Page, site: Site) -> None:
    before = len(site.inbox.received)
    page.goto(f"{site.desk.url}/leaflet/baekkensmerter")
    page.get_by_label("E-mail").fill(PATIENT)
    page.get_by_label("Patientens navn").fill("Jens Jensen")
    page.get_by_label("Personlig besked").fill(NOTE)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Sådan ser beskeden ud")).to_be_visible()
    expect(page.locator(".body")).to_contain_text(NOTE)
    assert len(site.inbox.received) == before  # nothing goes before the second click
    shot(page, site, "preview")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_have_text("Sendt til 1 modtager")
    line = page.locator("#record-line").inner_text()
    assert "sendt på e-mail til 1 modtager" in line and PATIENT not in line and NOTE not in line
    shot(page, site, "sent")
    assert len(site.inbox.received) == before + 1
    envelope = site.inbox.received[-1]
    assert envelope.rcpt_tos == [PATIENT]
    message = message_from_bytes(envelope.content, policy=default_policy)
    assert isinstance(message, EmailMessage)
    assert message["To"] == PATIENT
    attachments = list(message.iter_attachments())
    pdf = attachments[0].get_content()
    with pdfplumber.open(io.BytesIO(pdf)) as leaflet:
        first_page = " ".join(leaflet.pages[0].extract_text().split())
    assert NOTE in first_page and "Jens Jensen" in first_page
    body = message.get_body(("plain",))
    assert body is not None and NOTE in body.get_content()


@pytest.mark.parametrize("size", [(1280, 800), (768, 1024)])
def test_the_preview_shows_every_address_the_subject_and_send_in_sight(
    browser: Browser, site: Site, size: tuple[int, int]
) -> None:
    # bypass_csp: axe-core is injected as a script, which the page's CSP would rightly refuse.
    viewport = {"width": size[0], "height": size[1]}
    context = browser.new_context(viewport=viewport, bypass_csp=True)  # type: ignore[arg-type]
    tab = context.new_page()
    log_in(tab, site.desk.url)
    second = "anna.hansen@example.net"
    before = len(site.inbox.received)
    tab.goto(f"{site.desk.url}/leaflet/baekkensmerter")
    tab.get_by_label("E-mail").fill(f"{PATIENT}, {second}")
    tab.get_by_label("Personlig besked").fill(NOTE)
    tab.get_by_role("button", name="Send").click()
    expect(tab.get_by_role("heading", name="Sådan ser beskeden ud")).to_be_visible()
    expect(tab.locator(".recipients li")).to_have_text([PATIENT, second])
    expect(tab.locator(".subject")).to_have_text("Information fra Fysioterapi Søndergade")
    box = tab.get_by_role("button", name="Send").bounding_box()
    assert box is not None
    assert box["y"] >= 0 and box["y"] + box["height"] <= size[1], f"Send is at {box}"
    assert box["x"] >= 0 and box["x"] + box["width"] <= size[0]
    tab.screenshot(path=str(site.shots / f"preview-{size[0]}.png"))
    assert not axe_violations(tab)
    assert len(site.inbox.received) == before
    context.close()


def test_a_post_without_the_csrf_token_is_refused(page: Page, site: Site) -> None:
    page.goto(f"{site.desk.url}/leaflet/baekkensmerter")
    before = len(audit_lines(site))
    url = f"{site.desk.url}/leaflet/baekkensmerter/print"
    form = {"copies": "1", "variant": "standard", "printer": PRINTER}
    assert page.request.post(url, form=form).status == 403
    assert page.request.post(url, form={**form, "csrf": "forged"}).status == 403
    assert page.request.post(f"{site.desk.url}/logout", form={}).status == 403
    login = {"name": "receptionist", "password": PASSWORD}
    assert page.request.post(f"{site.desk.url}/login", form=login).status == 403
    assert len(audit_lines(site)) == before


def test_five_failed_logins_lock_the_name(browser: Browser, site: Site) -> None:
    context = browser.new_context()
    tab = context.new_page()
    for _attempt in range(5):
        log_in(tab, site.desk.url, "vikar", "forkert-kode")
        expect(tab.get_by_role("alert")).to_have_text("Forkert brugernavn eller adgangskode.")
    log_in(tab, site.desk.url, "vikar", PASSWORD)
    expect(tab.get_by_role("alert")).to_contain_text("For mange forkerte forsøg")
    shot(tab, site, "locked")
    context.close()


def test_what_was_typed_before_the_script_ran_is_searched(page: Page, site: Site) -> None:
    page.route("**/static/desk.js", lambda route: route.abort())
    page.goto(site.desk.url + "/")
    page.get_by_label("Søg").fill("knæ")
    page.unroute("**/static/desk.js")
    page.add_script_tag(url="/static/desk.js")
    expect(page.locator(".row-title")).to_have_text(["Knæsmerter"])
    expect(page).to_have_url(re.compile(r"/\?q=kn"))


def test_a_hostile_title_shows_as_text(page: Page, site: Site) -> None:
    page.get_by_label("Søg").fill("skulder")
    expect(page.locator(".row-title")).to_have_count(1)
    expect(page.locator(".row-title")).to_have_text(HOSTILE_TITLE)
    page.locator(".row-link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HOSTILE_TITLE)
    assert page.locator("main script").count() == 0
    assert "<script>alert" not in page.content().split("<main", 1)[1]


def test_bad_input_gives_a_message_and_nothing_happens(page: Page, site: Site) -> None:
    before_audit, before_mail = len(audit_lines(site)), len(site.inbox.received)
    page.goto(f"{site.desk.url}/leaflet/knaesmerter")
    for copies in ("0", "1000"):
        page.get_by_label("Antal").fill(copies)
        page.get_by_label("Antal").evaluate("field => field.form.noValidate = true")
        page.get_by_role("button", name="Udskriv").click()
        expect(page.get_by_role("alert")).to_have_text("Antal skal være et helt tal fra 1 til 100.")
    token = csrf(page)
    url = f"{site.desk.url}/leaflet/knaesmerter/print"
    answer = page.request.post(
        url, form={"csrf": token, "copies": "1", "variant": "standard", "printer": "nowhere"}
    )
    assert answer.status == 422 and "Vælg en printer fra listen." in answer.text()
    page.get_by_label("E-mail").fill("ikke en adresse")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("alert")).to_contain_text("Adresse nummer 1")
    shot(page, site, "bad-input")
    assert len(audit_lines(site)) == before_audit and len(site.inbox.received) == before_mail


def test_a_mail_server_that_is_down_is_a_message(page: Page, site: Site) -> None:
    site.smtp.stop()
    try:
        page.goto(f"{site.desk.url}/leaflet/knaesmerter")
        page.get_by_label("E-mail").fill(PATIENT)
        page.get_by_role("button", name="Send").click()
        page.get_by_role("button", name="Send").click()
        expect(page.get_by_role("alert")).to_contain_text("Der blev ikke sendt noget")
        expect(page.get_by_role("alert")).to_contain_text("mailserveren kunne ikke nås")
        assert "connection refused" in site.desk.log
    finally:
        site.smtp = Controller(site.inbox, hostname="127.0.0.1", port=site.smtp.port)
        site.smtp.start()


def wait_for_rows(page: Page, site: Site, query: str, count: int) -> None:
    """Search until the desk lists `count` leaflets (a new article is built meanwhile)."""
    for _attempt in range(60):
        page.goto(f"{site.desk.url}/?q={query}")
        if page.locator(".row-title").count() == count:
            return
        page.wait_for_timeout(500)
    expect(page.locator(".row-title")).to_have_count(count)


def test_a_leaflet_that_fails_to_build_is_offered_in_its_last_good_version(
    page: Page, site: Site
) -> None:
    source = site.desk.folder / "content" / "ankel.md"
    good = KNEE.replace("title: Knæsmerter", "title: Ankelsmerter").replace("id: 7", "id: 9")
    source.write_text(good, encoding="utf-8")
    try:
        page.goto(site.desk.url + "/")  # notices the new file and builds it meanwhile
        wait_for_rows(page, site, "ankel", 1)
        before = len(audit_lines(site))
        dated = "datePublished: 2025-09-01"
        source.write_text(good.replace(dated, f"{dated}\nlastUpdated: 31/02/2025"), "utf-8")
        page.goto(f"{site.desk.url}/leaflet/ankel")
        expect(page.locator("#stale-notice")).to_have_text(
            "Denne folder er fra 01.09.2025; den nyeste tekst har en fejl, "
            "som redaktøren får besked om."
        )
        shot(page, site, "stale")
        shown = page.locator("body").inner_text()
        for leak in (str(site.desk.folder), "ankel.md", "lastUpdated", "31/02/2025"):
            assert leak not in shown
        page.get_by_role("button", name="Udskriv").click()
        expect(page.get_by_role("status")).to_contain_text("Sendt til printeren")
        # The record names the text that was printed: the last one that built.
        expect(page.get_by_text("Patientinformation udleveret")).to_contain_text(
            f"tekst {hashlib.sha256(good.encode()).hexdigest()[:8]}"
        )
        assert len(audit_lines(site)) == before + 2  # before the job, and after it
        # The editor's error, with its file, is in the server's log, once.
        assert site.desk.log.count("ankel fails to build") == 1
        assert "ankel.md" in site.desk.log and "31/02/2025" in site.desk.log
    finally:
        source.unlink()
    wait_for_rows(page, site, "ankel", 0)


def test_a_stopped_printer_is_a_danish_sentence(page: Page, site: Site) -> None:
    site.cups.run("cupsdisable", "-r", "Papir mangler", STOPPED, check=True)
    try:
        page.goto(f"{site.desk.url}/leaflet/knaesmerter")
        page.get_by_label("Printer").select_option(STOPPED)
        page.get_by_role("button", name="Udskriv").click()
        expect(page.get_by_role("alert")).to_have_text(
            f"Der blev ikke udskrevet: printeren »{STOPPED}« mangler papir. "
            "Læg papir i, og prøv igen."
        )
        site.cups.run("cupsdisable", STOPPED, check=True)
        site.cups.run("cupsenable", STOPPED, check=True)
        site.cups.run("cupsreject", STOPPED, check=True)
        page.get_by_role("button", name="Udskriv").click()
        expect(page.get_by_role("alert")).to_have_text(
            f"Der blev ikke udskrevet: printeren »{STOPPED}« tager ikke imod udskrifter "
            "lige nu. Vælg en anden printer."
        )
        shot(page, site, "printer-refusing")
        shown = page.locator("main").inner_text()
        assert "cannot print" not in shown and "is stopped" not in shown
    finally:
        site.cups.run("cupsaccept", STOPPED)


def test_the_rate_limit_stops_the_31st_message(browser: Browser, site: Site) -> None:
    context = browser.new_context()
    tab = context.new_page()
    log_in(tab, site.desk.url, "travl")
    addresses = [f"patient{number}@example.org" for number in range(40)]
    before = len(site.inbox.received)
    for batch in range(4):
        tab.goto(f"{site.desk.url}/leaflet/knaesmerter")
        tab.get_by_label("E-mail").fill(", ".join(addresses[batch * 10 : batch * 10 + 10]))
        tab.get_by_role("button", name="Send").click()
        if batch < 3:
            tab.get_by_role("button", name="Send").click()
            expect(tab.get_by_role("status")).to_have_text("Sendt til 10 modtagere.")
    expect(tab.get_by_role("alert")).to_contain_text("Du har sendt 30 beskeder den seneste time")
    shot(tab, site, "rate-limit")
    assert len(site.inbox.received) == before + 30
    context.close()


def test_the_audit_log_records_who_and_what_but_no_patient(page: Page, site: Site) -> None:
    page.goto(f"{site.desk.url}/log")
    expect(page.get_by_role("heading", name="Log")).to_be_visible()
    expect(page.locator("table.log tbody tr").first).to_be_visible()
    shot(page, site, "log")
    entries = audit_lines(site)
    sends = [entry for entry in entries if entry["action"] == "send"]
    assert sends and all(entry["hash"] and entry["user"] for entry in sends)
    assert {entry["recipients"] for entry in sends} >= {1, 10}
    written = site.desk.audit.read_text() + page.content() + site.desk.log
    for secret in (PATIENT, "patient1@example.org", "Jens Jensen", NOTE, "example.org"):
        assert secret not in written
    assert "Traceback" not in site.desk.log


PAGES = (
    "/login",
    "/",
    "/?q=knæ",
    "/leaflet/baekkensmerter",
    "/log",
    "/password",
    "/leaflet/nothing",
)


@pytest.mark.parametrize("width", [1280, 768])
def test_every_page_passes_axe_and_fits(browser: Browser, site: Site, width: int) -> None:
    # axe-core is injected as a script, which the page's own CSP would rightly refuse.
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    tab = context.new_page()
    found: dict[str, Any] = {}
    for path in PAGES:
        if path == "/":
            log_in(tab, site.desk.url)
        tab.goto(site.desk.url + path)
        found[path] = axe_violations(tab)
        overflow = tab.evaluate("() => document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways at {width} px"
        small = tab.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.childNodes.length && [...e.childNodes].some(
                    n => n.nodeType === 3 && n.textContent.trim()))
                .filter(e => e.checkVisibility())
                .map(e => parseFloat(getComputedStyle(e).fontSize))
                .filter(size => size < 16)"""
        )
        assert not small, f"{path}: text below 16 px: {small}"
        name = path.strip("/").replace("/", "-").replace("?q=", "search-") or "start"
        tab.screenshot(path=str(site.shots / f"{width}-{name}.png"), full_page=True)
    context.close()
    assert not any(found.values()), {path: [v["id"] for v in vs] for path, vs in found.items()}


def focus_is_visible(page: Page) -> bool:
    return bool(
        page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle !== 'none'")
    )


def test_the_keyboard_alone_finds_and_opens_with_a_visible_focus(page: Page, site: Site) -> None:
    page.goto(site.desk.url + "/")
    expect(page.locator("#q")).to_be_focused()  # ready to type
    page.keyboard.type("knæ")
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=*")
    expect(page.locator(".row-title")).to_have_count(1)
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.press("Tab")  # the search button
    assert focus_is_visible(page)
    page.keyboard.press("Tab")  # the one result
    expect(page.locator(".row-link")).to_be_focused()
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Knæsmerter")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip"
    assert page.locator(".skip").bounding_box()["y"] >= 0  # shown when focused
    page.keyboard.press("Enter")
    for _step in range(12):
        page.keyboard.press("Tab")
        assert focus_is_visible(page)
        if page.evaluate("() => document.activeElement.id") == "copies":
            break
    else:
        raise AssertionError("the copies field is not reached with Tab")
    page.screenshot(path=str(site.shots / "keyboard-focus.png"))


def test_pages_carry_the_security_headers_and_strict_cookies(page: Page, site: Site) -> None:
    for path in ("/login", "/", "/static/desk.css", "/leaflet/knaesmerter/page-1.png", "/x"):
        headers = page.request.get(site.desk.url + path).headers
        assert headers["content-security-policy"].startswith("default-src 'self'")
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff"
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    # On http://127.0.0.1 too: Chromium keeps Secure cookies for this machine's addresses.
    session = cookies["__Host-desk_session"]
    assert session["httpOnly"] and session["sameSite"] == "Strict" and session["secure"]
    assert session["path"] == "/" and "desk_session" not in cookies
    page.goto(f"{site.desk.url}/leaflet/knaesmerter")
    for form in page.locator("form").all():
        assert form.get_attribute("method") == "post" or form.get_attribute("role") == "search"
    assert page.locator("script:not([src])").count() == 0


OUTSIDE = [
    "/static/../pyproject.toml",
    "/static/%2e%2e/%2e%2e/%2e%2e/clinic.toml",
    "/static/%2e%2e%2f%2e%2e%2fdesk-users.toml",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/leaflet/..%2f..%2fclinic/leaflet.pdf",
    "/leaflet/%2e%2e/leaflet.pdf",
    "/leaflet/..%2Fdesk-users/page-1.png",
    "/leaflet/baekkensmerter/page-0.png",
    "/leaflet/baekkensmerter/page-99.png",
    "/leaflet/%2Fetc%2Fpasswd/leaflet.pdf",
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
]


@pytest.mark.parametrize("path", OUTSIDE)
def test_no_address_reaches_a_file_outside_its_folders(page: Page, site: Site, path: str) -> None:
    cookie = next(c for c in page.context.cookies() if c["name"] == "__Host-desk_session")
    connection = http.client.HTTPConnection("127.0.0.1", site.desk.port, timeout=30)
    try:
        # Sent as written: a browser or client library would tidy the dots away first.
        cookies = {"Cookie": f"__Host-desk_session={cookie['value']}"}
        connection.request("GET", path, headers=cookies)
        answer = connection.getresponse()
        body = answer.read()
    finally:
        connection.close()
    assert answer.status == 404, (path, answer.status)
    for secret in (b"root:", b"[project]", b"argon2", b"[clinic]", b"%PDF", b"\x89PNG"):
        assert secret not in body


def test_an_article_added_while_the_desk_runs_is_listed(page: Page, site: Site) -> None:
    added = site.desk.folder / "content" / "hofte.md"
    added.write_text("---\ntitle: Hoftesmerter\n---\n\nOndt i hoften.\n", encoding="utf-8")
    try:
        page.goto(site.desk.url + "/")  # notices the new file and builds it meanwhile
        for _attempt in range(60):
            page.goto(site.desk.url + "/?q=hofte")
            if page.locator(".row-title").count() == 1:
                break
            page.wait_for_timeout(500)
        expect(page.locator(".row-title")).to_have_text("Hoftesmerter")
    finally:
        added.unlink()


def test_a_changed_article_is_rebuilt_with_new_pages(page: Page, site: Site) -> None:
    source = site.desk.folder / "content" / "knaesmerter.md"
    good = source.read_text(encoding="utf-8")
    longer = "\n\n".join(
        f"## Afsnit {n}\n\n" + "Bøj og stræk knæet roligt. " * 40 for n in range(8)
    )
    source.write_text(good + "\n" + longer + "\n", encoding="utf-8")
    try:
        page.goto(f"{site.desk.url}/leaflet/knaesmerter")
        count = page.locator(".pages img").count()
        assert count >= 2
        expect(page.get_by_role("heading", name=f"{count} sider")).to_be_visible()
        for number in range(1, count + 1):
            assert page.request.get(f"{site.desk.url}/leaflet/knaesmerter/page-{number}.png").ok
        page.goto(site.desk.url + "/?q=afsnit")
        expect(page.locator(".row-title")).to_have_text("Knæsmerter")  # the index follows too
    finally:
        source.write_text(good, encoding="utf-8")


def test_a_stale_translation_shares_its_card_warns_and_is_recorded(page: Page, site: Site) -> None:
    page.goto(f"{site.desk.url}/")
    expect(page.locator(".leaflet-row")).to_have_count(3)  # the translation is on its card
    expect(page.locator(".languages")).to_have_text("Dansk · English")
    page.goto(f"{site.desk.url}/leaflet/baekkensmerter")
    send = page.locator("form[action$='/send']")
    send.get_by_label("E-mail").fill(PATIENT)
    send.get_by_label("Stor skrift").check()
    send.get_by_label("Sprog").select_option("baekkensmerter.en")
    send.get_by_role("button", name="Send").click()
    warning = "Den danske tekst er ændret siden oversættelsen"
    expect(page.locator("#translation-notice")).to_contain_text(warning)
    expect(page.get_by_text("Stor skrift · English")).to_be_visible()
    shot(page, site, "preview-translation")
    before = len(site.inbox.received)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_have_text("Sendt til 1 modtager")
    expect(page.locator(".done .notice")).to_contain_text(warning)
    line = page.locator("#record-line").inner_text()
    assert "stor skrift" in line and "English" in line
    assert "oversat fra en ældre udgave af teksten" in line
    shot(page, site, "sent-translation")
    assert len(site.inbox.received) == before + 1
    message = message_from_bytes(site.inbox.received[-1].content, policy=default_policy)
    assert isinstance(message, EmailMessage)
    [attachment] = list(message.iter_attachments())
    with pdfplumber.open(io.BytesIO(attachment.get_content())) as leaflet:
        first_page = " ".join(leaflet.pages[0].extract_text().split())
    assert f"Pelvic pain {TOKEN}" in first_page


# Long words that a hyphenating layout would break at a line's end.
LONG_NAME = "Christoffersensdatter Møllerstrømbergsensen Frederiksbergsgaardsen Kristiansdattersen"


def test_a_personal_copy_is_printed_with_the_name_whole(page: Page, site: Site) -> None:
    page.goto(f"{site.desk.url}/leaflet/baekkensmerter")
    form = page.locator("form[action$='/print']")
    form.get_by_text("Personlig udskrift").click()
    form.get_by_label("Navn på udskriften").fill(LONG_NAME)
    form.get_by_label("Besked på udskriften").fill(NOTE)
    shot(page, site, "print-personal")
    form.get_by_role("button", name="Udskriv").click()
    expect(page.get_by_role("status")).to_contain_text("Sendt til printeren")
    assert "med personlig besked" in page.locator("#record-line").inner_text()
    entry = audit_lines(site)[-1]
    site.cups.wait_for_job(entry["job"])
    wait_for_pdf(cups_pdf_folder(getpass.getuser()), TOKEN).unlink()
    # The copy's PDF is gone with its private folder; the same note, sent, shows the name whole.
    page.goto(f"{site.desk.url}/leaflet/baekkensmerter")
    send = page.locator("form[action$='/send']")
    send.get_by_label("E-mail").fill(PATIENT)
    send.get_by_label("Patientens navn").fill(LONG_NAME)
    send.get_by_role("button", name="Send").click()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_have_text("Sendt til 1 modtager")
    message = message_from_bytes(site.inbox.received[-1].content, policy=default_policy)
    assert isinstance(message, EmailMessage)
    [attachment] = list(message.iter_attachments())
    with pdfplumber.open(io.BytesIO(attachment.get_content())) as leaflet:
        first_page = leaflet.pages[0].extract_text()
    words = [word for line in first_page.splitlines() for word in line.split()]
    for part in LONG_NAME.split():
        assert part in words, f"{part} is hyphenated or missing"
    written = site.desk.audit.read_text() + site.desk.log
    assert LONG_NAME not in written and NOTE not in written


def test_a_name_longer_than_the_command_line_allows_is_refused(page: Page, site: Site) -> None:
    page.goto(f"{site.desk.url}/leaflet/knaesmerter")
    form = page.locator("form[action$='/print']")
    form.get_by_text("Personlig udskrift").click()
    form.get_by_label("Navn på udskriften").evaluate("field => field.removeAttribute('maxlength')")
    form.get_by_label("Navn på udskriften").fill("A" * 109)
    form.get_by_role("button", name="Udskriv").click()
    expect(page.get_by_role("alert")).to_have_text("Navnet er for langt: højst 100 tegn.")


def test_copies_for_the_waiting_room_make_no_record_line(page: Page, site: Site) -> None:
    page.goto(f"{site.desk.url}/leaflet/knaesmerter")
    form = page.locator("form[action$='/print']")
    form.get_by_label("Antal").fill("20")
    form.get_by_label("Stor skrift").check()
    form.get_by_label("Til venteværelset").check()
    form.get_by_role("button", name="Udskriv").click()
    expect(page.get_by_role("status")).to_have_text(f"Sendt til printeren »{PRINTER}«: 20 stk.")
    expect(page.locator("#no-record")).to_have_text(
        "Til venteværelset: intet til patientjournalen."
    )
    assert page.locator("#record-line").count() == 0
    entry = audit_lines(site)[-1]
    assert entry["action"] == "printed" and entry["waiting_room"] is True
    assert entry["edition"] == "large" and entry["copies"] == 20
    site.cups.wait_for_job(entry["job"])
    page.goto(f"{site.desk.url}/log")
    row = page.locator("table.log tbody tr").first
    expect(row).to_contain_text("Stor skrift · Dansk · til venteværelset")
    expect(row).to_contain_text("Knæsmerter")
    shown = page.locator("table.log").inner_text()
    assert entry["hash"][:12] not in shown and entry["job"] not in shown
    day = entry["when"][:10].split("-")
    expect(row.locator("td").first).to_contain_text(".".join(reversed(day)))
    shot(page, site, "log-details")


def test_calm_pages_print_in_sight_quiet_status_and_logging_out(page: Page, site: Site) -> None:
    page.goto(f"{site.desk.url}/leaflet/baekkensmerter")
    box = page.locator("form[action$='/print']").get_by_role("button", name="Udskriv")
    page.screenshot(path=str(site.shots / "print-fold.png"))
    bounds = box.bounding_box()
    assert bounds is not None and bounds["y"] + bounds["height"] <= 800, bounds
    page.goto(f"{site.desk.url}/")
    weight = page.locator(".leaflet-row .status").first.evaluate(
        "e => getComputedStyle(e).fontWeight"
    )
    assert int(weight) < 700
    for form in page.locator("main form").all():
        assert form.get_attribute("novalidate") is not None or form.get_attribute("role")
    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_role("status")).to_have_text("Du er logget ud.")
    shot(page, site, "logged-out")


def test_after_a_failed_send_the_error_has_the_focus(browser: Browser, site: Site) -> None:
    context = browser.new_context(viewport={"width": 768, "height": 1024})
    tab = context.new_page()
    log_in(tab, site.desk.url)
    tab.goto(f"{site.desk.url}/leaflet/knaesmerter")
    tab.get_by_label("E-mail").fill("ikke en adresse")
    tab.locator("form[action$='/send']").get_by_role("button", name="Send").click()
    alert = tab.get_by_role("alert")
    expect(alert).to_be_focused()
    expect(alert).to_be_in_viewport()
    context.close()
