"""Logins under attack: many at once stay within memory, the lock-out cannot be raced, a removed
user or a changed password ends open sessions, and common passwords are refused."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from leaflets.config.defaults import PROJECT_ROOT
from leaflets.desk.guard import Sessions

from ..desk_browser import PASSWORD, USER
from .live import CSRF, Site, running_site, server_peak_kib
from .test_security_sending import LEAFLET, preview

MAKE_LEAFLET = [sys.executable, str(PROJECT_ROOT / "make_leaflet.py")]
USERS = (USER, "vikar", "fjernes", "skifter", "selv", "kapløb")
CONCURRENT_SECONDS = 300


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("logins"), users=USERS) as running:
        yield running


def desk_user(site: Site, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    command = [*MAKE_LEAFLET, "desk-user", *args, "--clinic", str(site.desk.clinic)]
    return subprocess.run(command, input=stdin, text=True, capture_output=True, timeout=120)


def concurrently(count: int, attempt: object) -> list[int]:
    """Run `attempt(number)` in `count` threads at once; their statuses."""
    assert callable(attempt)
    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(attempt, number) for number in range(count)]
        return [future.result(timeout=CONCURRENT_SECONDS) for future in futures]


def wrong_login(site: Site, name: str, password: str = "forkert-kode") -> int:
    client = site.client()
    return client.log_in(name, password).status


def test_a_hundred_logins_at_once_stay_within_memory(site: Site) -> None:
    statuses = concurrently(100, lambda n: wrong_login(site, f"gæt{n}"))
    assert Counter(statuses) == {401: 100}
    peak = server_peak_kib(site.pid())
    assert peak < 500 * 1024, f"the desk reached {peak // 1024} MB"
    client = site.client()
    assert client.log_in().status == 303
    # The workers still have the memory they need: a send goes out.
    csrf = CSRF.search(client.get("/leaflet/knaesmerter").text)
    assert csrf is not None
    before = len(site.inbox.received)
    sent = client.post(LEAFLET, preview(client, csrf.group(1), "efter-travlhed@example.org"))
    assert sent.status == 200, sent.text
    assert len(site.inbox.received) == before + 1


def test_the_lock_out_cannot_be_raced(site: Site) -> None:
    statuses = concurrently(30, lambda _n: wrong_login(site, "vikar"))
    assert Counter(statuses) == {401: 5, 429: 25}  # five were checked, no more
    assert wrong_login(site, "vikar", PASSWORD) == 429
    failed = [line for line in site.desk.audit.read_text().splitlines() if "login-failed" in line]
    assert sum('"user": "vikar"' in line for line in failed) == 5


def test_the_right_password_in_a_race_is_only_one_of_five_tries(site: Site) -> None:
    def attempt(number: int) -> int:
        return wrong_login(site, "kapløb", PASSWORD if number == 17 else "forkert-kode")

    statuses = concurrently(40, attempt)
    checked = [status for status in statuses if status in (401, 303)]
    assert len(checked) <= 5 and statuses.count(429) >= 35


def test_removing_a_user_ends_the_open_session(site: Site) -> None:
    client = site.client()
    assert client.log_in("fjernes").status == 303
    token = CSRF.search(client.get("/leaflet/knaesmerter").text)
    assert token
    removed = desk_user(site, "remove", "fjernes")
    assert removed.returncode == 0, removed.stderr
    assert client.get("/").status == 303  # to the login page
    form = {"csrf": token.group(1), "copies": "1", "variant": "standard", "printer": ""}
    assert client.post("/leaflet/knaesmerter/print", form).status == 403
    form = {"csrf": token.group(1), "step": "confirm", "to": "p@example.org", "confirm": "x"}
    assert client.post("/leaflet/knaesmerter/send", form).status == 403
    audit = site.desk.audit.read_text()
    assert '"action": "user-remove"' in audit and '"subject": "fjernes"' in audit
    assert not any(
        '"user": "fjernes"' in line and ('"print"' in line or '"send"' in line)
        for line in audit.splitlines()
    )


def test_a_new_password_ends_the_open_session(site: Site) -> None:
    client = site.client()
    assert client.log_in("skifter").status == 303
    changed = desk_user(site, "passwd", "skifter", stdin="en-helt-ny-kode-til-skranken\n")
    assert changed.returncode == 0, changed.stderr
    assert client.get("/").status == 303
    assert site.client().log_in("skifter").status == 401
    assert site.client().log_in("skifter", "en-helt-ny-kode-til-skranken").status == 303


@pytest.mark.parametrize("common", ["password1", "qwertyuiop", "Password123", "iloveyou1"])
def test_desk_user_refuses_common_passwords(site: Site, common: str) -> None:
    for args in (("add", "ny-bruger"), ("passwd", USER)):
        refused = desk_user(site, *args, stdin=common + "\n")
        assert refused.returncode == 1 and "Traceback" not in refused.stderr
        assert "too common" in refused.stderr
    assert site.client().log_in(USER, common).status == 401


def test_staff_change_their_own_password_on_the_desk(site: Site) -> None:
    elsewhere = site.client()
    assert elsewhere.log_in("selv").status == 303
    client = site.client()
    assert client.log_in("selv").status == 303
    page = client.get("/password")
    assert page.status == 200 and "Nuværende adgangskode" in page.text
    token = CSRF.search(page.text)
    assert token
    new = "solsikke-over-skranken"
    form = {"csrf": token.group(1), "old": PASSWORD, "new": new, "repeat": new}
    assert client.post("/password", {**form, "csrf": "forged"}).status == 403
    wrong = client.post("/password", {**form, "old": "forkert-kode"})
    assert wrong.status == 422 and "Den nuværende adgangskode er forkert." in wrong.text
    common = client.post("/password", {**form, "new": "password1", "repeat": "password1"})
    assert common.status == 422 and "for almindelig" in common.text
    differ = client.post("/password", {**form, "repeat": new + "x"})
    assert differ.status == 422 and "ikke ens" in differ.text
    done = client.post("/password", form)
    assert done.status == 200 and "Din adgangskode er skiftet" in done.text
    assert client.get("/").status == 200  # this session goes on
    assert elsewhere.get("/").status == 303  # the other one has ended
    assert site.client().log_in("selv", PASSWORD).status == 401
    assert site.client().log_in("selv", new).status == 303


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_session_ends_after_thirty_idle_minutes() -> None:
    clock = Clock()
    sessions = Sessions(clock=clock)
    token, session = sessions.start("anna", "$argon2id$one")
    clock.now += 29 * 60
    assert sessions.find(token, {"anna": "$argon2id$one"}) is session
    clock.now += 29 * 60
    assert sessions.find(token, {"anna": "$argon2id$one"}) is session
    clock.now += 30 * 60
    assert sessions.find(token, {"anna": "$argon2id$one"}) is None


def test_a_session_ends_when_its_users_hash_changes_or_goes() -> None:
    sessions = Sessions(clock=Clock())
    token, session = sessions.start("anna", "$argon2id$one")
    assert sessions.find(token, {"anna": "$argon2id$one"}) is session
    assert sessions.find(token, {"anna": "$argon2id$two"}) is None
    other, _session = sessions.start("anna", "$argon2id$one")
    assert sessions.find(other, {}) is None
