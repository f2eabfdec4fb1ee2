"""The basket in a real browser: Chromium through Playwright against the real desk, its SMTP
server and the private CUPS scheduler with its cups-pdf printer."""

from __future__ import annotations

import getpass
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, Page, expect, sync_playwright

from ..cups_server import CupsServer, cups_pdf_folder, start_server, wait_for_pdf
from ..desk_browser import (
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
TOKEN = f"deskbasket{uuid.uuid4().hex[:8]}"
TITLE = f"Bækkensmerter {TOKEN}"
PATIENTS = ("patient.jensen@example.org", "anna.hansen@example.net")
NOTE = "Lav øvelserne morgen og aften."
NAME = "Jens Jensen"
HOSTILE = "<script>alert('x')</script> Skulder"


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
    folder = tmp_path_factory.mktemp("basket")
    cups = start_server()
    try:
        cups.add_pdf_printer(PRINTER)
        inbox, smtp = smtp_inbox()
        clinic = write_site(folder, smtp.port, title=TITLE)
        add_user(clinic, "receptionist")
        (folder / "home").mkdir()
        desk = DeskServer(folder, clinic, desk_env(folder / "home", cups.socket))
        shots = folder / "screenshots"
        shots.mkdir()
        site = Site(desk, cups, inbox, smtp, shots)
        try:
            desk.start()
            yield site
        finally:
            desk.stop()
            smtp.stop()
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
    """A logged-in tab at the desk's size; axe-core needs the CSP bypassed to be injected."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="da-DK", bypass_csp=True
    )
    tab = context.new_page()
    dialogs: list[str] = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    log_in(tab, site.desk.url)
    yield tab
    context.close()
    assert not dialogs, f"a script ran: {dialogs}"


def audit_lines(site: Site) -> list[dict[str, Any]]:
    return [json.loads(line) for line in site.desk.audit.read_text().splitlines()]


def pages(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def completed_jobs(site: Site) -> int:
    listing = site.cups.run("lpstat", "-W", "completed", "-o", PRINTER).stdout
    return len([line for line in listing.splitlines() if line.strip()])


def fill_basket(page: Page, site: Site) -> None:
    """Three leaflets: two from the list, one from its own page; the knee in large print."""
    page.goto(site.desk.url + "/")
    page.get_by_role("button", name=f"Læg i kurven: »{TITLE}«").click()
    expect(page.locator("#nav-basket")).to_have_text("Kurv (1)")
    page.goto(f"{site.desk.url}/leaflet/knaesmerter")
    page.get_by_role("button", name="Læg i kurven", exact=True).click()
    expect(page).to_have_url(f"{site.desk.url}/leaflet/knaesmerter")
    page.goto(site.desk.url + "/?q=skulder")
    page.get_by_role("button", name=f"Læg i kurven: »{HOSTILE}«").click()
    expect(page.locator("#nav-basket")).to_have_text("Kurv (3)")
    page.goto(site.desk.url + "/basket")
    knee = page.get_by_role("form", name="Folder 2: Knæsmerter")
    expect(knee.get_by_role("button", name="Gem valg")).to_be_hidden()  # saved when chosen
    with page.expect_response(lambda answer: answer.url.endswith("/basket/change")):
        knee.get_by_label("Stor skrift").check()
    expect(knee.get_by_label("Stor skrift")).to_be_focused()
    page.reload()
    expect(page.locator(".basket-item")).to_have_count(3)
    expect(knee.get_by_label("Stor skrift")).to_be_checked()


def test_a_basket_of_three_prints_as_one_job_each_leaflet_on_a_new_sheet(
    page: Page, site: Site
) -> None:
    fill_basket(page, site)
    page.screenshot(path=str(site.shots / "basket.png"))
    before = completed_jobs(site)
    page.get_by_label("Printer").select_option(PRINTER)
    page.get_by_role("button", name="Udskriv").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Sendt til printeren »{PRINTER}«: 3 foldere som én udskrift, 1 stk."
    )
    asked, done = audit_lines(site)[-2:]
    assert asked["action"] == "print" and done["action"] == "printed" and done["job"]
    assert done["slug"] == "baekkensmerter + knaesmerter + skulder"
    line = page.locator("#record-line").inner_text()
    assert done["record"] == line
    assert line.count("Patientinformation udleveret") == 1 and line.count("»") == 3
    assert line.count("stor skrift") == 1 and line.endswith("udskrevet 1 stk.")
    site.cups.wait_for_job(done["job"])
    assert completed_jobs(site) == before + 1
    arrived = wait_for_pdf(cups_pdf_folder(getpass.getuser()), TOKEN)
    try:
        output = site.desk.output
        counts = [
            pages(output / "baekkensmerter.pdf"),
            pages(output / "knaesmerter-large-print.pdf"),
            pages(output / "skulder.pdf"),
        ]
        sheets = [count + count % 2 for count in counts]  # each leaflet on its own sheets
        assert pages(arrived) in (sum(sheets), sum(sheets) - counts[-1] % 2)
        assert pages(arrived) == sum(sheets[:-1]) + counts[-1]
    finally:
        arrived.unlink(missing_ok=True)


def test_a_basket_goes_as_one_message_per_patient_with_one_record_line(
    page: Page, site: Site
) -> None:
    fill_basket(page, site)
    before = len(site.inbox.received)
    page.get_by_label("E-mail").fill(", ".join(PATIENTS))
    page.get_by_label("Patientens navn").fill(NAME)
    page.get_by_label("Personlig besked").fill(NOTE)
    page.get_by_role("button", name="Vis besked").click()
    expect(page.get_by_role("heading", name="Sådan ser beskeden ud")).to_be_visible()
    expect(page.locator(".recipients li")).to_have_text(list(PATIENTS))
    expect(page.locator(".bundle li")).to_have_count(3)
    # Page 1 of each PDF the patient gets, side by side.
    expect(page.locator(".sent-page img")).to_have_count(3)
    send = page.get_by_role("button", name="Send").bounding_box()
    assert send is not None and send["y"] + send["height"] <= 800, f"Send is at {send}"
    assert not axe_violations(page)
    assert len(site.inbox.received) == before
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_have_text("Sendt til 2 modtagere.")
    line = page.locator("#record-line").inner_text()
    assert line.count("Patientinformation udleveret") == 1 and line.count("»") == 3
    assert line.count("med personlig besked") == 1 and line.count("stor skrift") == 1
    assert NOTE not in line and NAME not in line and PATIENTS[0] not in line
    received = site.inbox.received[before:]
    assert [envelope.rcpt_tos for envelope in received] == [[patient] for patient in PATIENTS]
    for envelope in received:
        message = message_from_bytes(envelope.content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        attached = list(message.iter_attachments())
        assert len(attached) == 3
        assert all(part.get_content().startswith(b"%PDF-") for part in attached)
    sent = audit_lines(site)[-1]
    assert sent["action"] == "sent" and sent["record"] == line and sent["recipients"] == 2
    assert NOTE not in site.desk.audit.read_text() and NAME not in site.desk.audit.read_text()
    page.get_by_role("button", name="Tøm kurven").click()
    expect(page.locator("#basket-empty")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 768])
def test_the_basket_page_passes_axe_and_fits(browser: Browser, site: Site, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    tab = context.new_page()
    log_in(tab, site.desk.url)
    fill_basket(tab, site)
    overflow = tab.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"the basket scrolls sideways at {width} px"
    assert not axe_violations(tab)
    tab.screenshot(path=str(site.shots / f"basket-{width}.png"), full_page=True)
    context.close()


def test_an_item_is_removed_and_the_basket_emptied(page: Page, site: Site) -> None:
    fill_basket(page, site)
    page.get_by_role("button", name="Fjern »Knæsmerter« fra kurven").click()
    expect(page.locator(".basket-item")).to_have_count(2)
    expect(page.locator("#nav-basket")).to_have_text("Kurv (2)")
    page.get_by_role("button", name="Tøm kurven").click()
    expect(page.locator("#basket-empty")).to_be_visible()
    expect(page.locator("#nav-basket")).to_have_text("Kurv (0)")
