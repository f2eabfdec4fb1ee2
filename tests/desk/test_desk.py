"""The desk's parts without a browser: users, search, sessions, lock-out, rate limit, audit log,
and the `desk` and `desk-user` commands."""

from __future__ import annotations

import json
import sqlite3
import ssl
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from leaflets.api import fold
from leaflets.config.defaults import PROJECT_ROOT
from leaflets.config.errors import LeafletError
from leaflets.config.hosts import is_local_host
from leaflets.desk.audit import AuditEntry, append_entry, last_entries
from leaflets.desk.guard import LockOut, RateLimit, Sessions
from leaflets.desk.records import LeafletRecord
from leaflets.desk.search import SearchIndex, match_expression
from leaflets.desk.texts import desk_texts
from leaflets.desk.users import add_user, load_users, remove_user

from ..desk_browser import DeskServer, desk_env
from ..smtp_servers import self_signed

MAKE_LEAFLET = [sys.executable, str(PROJECT_ROOT / "make_leaflet.py")]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MAKE_LEAFLET, *args], input=stdin, text=True, capture_output=True, timeout=120
    )


def test_users_are_stored_as_argon2_hashes_readable_by_the_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "desk-users.toml"
    assert add_user(path, "anna", "en lang kode") is True
    assert add_user(path, "anna", "en anden kode") is False
    text = path.read_text()
    assert "$argon2id$" in text and "kode" not in text
    assert path.stat().st_mode & 0o777 == 0o600
    users = load_users(path)
    assert users.verify("anna", "en anden kode")
    assert not users.verify("anna", "en lang kode")
    assert not users.verify("bent", "en anden kode")
    remove_user(path, "anna")
    assert load_users(path).hashes == {}
    with pytest.raises(LeafletError, match="no user 'anna'"):
        remove_user(path, "anna")


@pytest.mark.parametrize("name", ["", "a b", "x" * 65, "anna\n", '"quoted"'])
def test_odd_user_names_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(LeafletError, match="user name"):
        add_user(tmp_path / "users.toml", name, "en lang kode")


def test_desk_user_reads_the_password_once_from_a_pipe(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    added = run("desk-user", "add", "bente", "--clinic", str(clinic), stdin="hemmelig-kode\n")
    assert added.returncode == 0, added.stderr
    assert load_users(tmp_path / "desk-users.toml").verify("bente", "hemmelig-kode")
    short = run("desk-user", "add", "carl", "--clinic", str(clinic), stdin="kort\n")
    assert short.returncode == 1
    assert short.stderr.strip() == "error: the password must have at least 8 characters"
    removed = run("desk-user", "remove", "bente", "--clinic", str(clinic))
    assert removed.returncode == 0 and "removed bente" in removed.stdout
    again = run("desk-user", "remove", "bente", "--clinic", str(clinic))
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert again.stderr.strip().endswith("there is no user 'bente'")


def test_desk_user_list_shows_names_creation_and_last_login(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic.toml"
    for name in ("bente", "anna"):
        added = run("desk-user", "add", name, "--clinic", str(clinic), stdin="hemmelig-kode\n")
        assert added.returncode == 0, added.stderr
    audit = tmp_path / "desk-audit.jsonl"
    append_entry(audit, AuditEntry("2026-12-07T14:05:09+01:00", "bente", "login"))
    listed = run("desk-user", "list", "--clinic", str(clinic))
    assert listed.returncode == 0, listed.stderr
    anna, bente = listed.stdout.splitlines()
    assert anna.startswith("anna  added 20") and anna.endswith("last login never")
    assert bente.startswith("bente  added 20") and bente.endswith("last login 2026-12-07 14:05")
    assert "argon2" not in listed.stdout


@pytest.mark.parametrize(
    ("typed", "folded"),
    [("Bækkensmerter", "baekkensmerter"), ("KNÆ", "knae"), ("Århus", "aarhus"), ("Øre", "oere")],
)
def test_danish_letters_are_folded_like_the_index(typed: str, folded: str) -> None:
    assert fold(typed) == folded
    assert fold("Café Ñandú") == "cafe nandu"


def test_lookup_and_search_fold_alike_decomposed_letters_and_dashes() -> None:
    assert fold("A\u030arhus") == "aarhus"  # å typed as a and a combining ring
    assert fold("Knæ-  og_hofte") == "knae og hofte"
    assert fold("ﬁlm") == "film"


def record(slug: str, title: str, body: str = "", key: str = "a:b") -> LeafletRecord:
    return LeafletRecord(slug, title, f"/c/{slug}.md", f"{slug}.pdf", key, body=body)


@pytest.fixture
def index(tmp_path: Path) -> SearchIndex:
    found = SearchIndex(tmp_path)
    found.put(
        [
            record("baekkensmerter", "Bækkensmerter", "Smerter i bækkenet."),
            record("knaesmerter", "Knæsmerter", "Ondt i knæet ved trappegang."),
            LeafletRecord(
                "skulder", "Skulder", "/c/s.md", "s.pdf", "c:d", questions=["Må jeg løfte?"]
            ),
        ]
    )
    return found


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("bækken", ["baekkensmerter"]),
        ("knæ", ["knaesmerter"]),
        ("knae", ["knaesmerter"]),
        ("Knæs", ["knaesmerter"]),
        ("trappe", ["knaesmerter"]),
        ("løfte", ["skulder"]),
        ("smerter i", ["baekkensmerter"]),
        ("ingenting", []),
    ],
)
def test_search_is_danish_aware_and_finds_prefixes(
    index: SearchIndex, query: str, found: list[str]
) -> None:
    assert index.search(query) == found


@pytest.mark.parametrize("query", ['"', "AND", "knæ OR", "NEAR(", "*", "a:b", "^x", "(" * 50])
def test_search_syntax_in_a_query_is_only_text(index: SearchIndex, query: str) -> None:
    assert isinstance(index.search(query), list)
    assert '""' not in match_expression(query)


def test_the_index_is_kept_between_runs_and_updated_by_key(tmp_path: Path) -> None:
    first = SearchIndex(tmp_path)
    first.put([record("knae", "Knæsmerter", key="1:1"), record("ryg", "Ryg", key="2:2")])
    first.close()
    again = SearchIndex(tmp_path)
    assert again.keys() == {"knae": "1:1", "ryg": "2:2"}
    again.put([record("knae", "Knæ og hofte", key="3:3")])
    again.keep_only(["knae"])
    assert again.keys() == {"knae": "3:3"}
    assert again.search("hofte") == ["knae"] and again.search("ryg") == []


def test_a_damaged_index_is_started_afresh(tmp_path: Path) -> None:
    (tmp_path / ".leaflets-search.sqlite").write_bytes(b"not a database" * 100)
    assert SearchIndex(tmp_path).keys() == {}


def translation(slug: str, language: str, title: str) -> LeafletRecord:
    return LeafletRecord(
        slug, title, f"/c/{slug}.md", f"{slug}.pdf", f"{slug}:1", language=language,
        translation_of=slug.split(".")[0],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("english", ["knae.en", "ryg.en"]),
        ("engelsk", ["knae.en", "ryg.en"]),
        ("Engel", ["knae.en", "ryg.en"]),  # a prefix, while it is typed
        ("polsk", ["knae.pl"]),
        ("Polish", ["knae.pl"]),
        ("polski", ["knae.pl"]),
        ("ukrainsk", ["ryg.uk"]),
        ("arabisk", ["ryg.ar"]),
        ("العربية", ["ryg.ar"]),
        ("engelsk ryg", ["ryg.en"]),
        ("tysk", []),
    ],
)
def test_a_language_is_found_by_its_own_danish_and_english_names(
    tmp_path: Path, query: str, found: list[str]
) -> None:
    index = SearchIndex(tmp_path)
    index.put(
        [
            record("knae", "Knæsmerter"),
            record("ryg", "Ondt i ryggen"),
            translation("knae.en", "en", "Knee pain"),
            translation("knae.pl", "pl", "Ból kolana"),
            translation("ryg.en", "en", "Back pain ryg"),
            translation("ryg.uk", "uk", "Біль у спині"),
            translation("ryg.ar", "ar", "ألم الظهر"),
        ]
    )
    assert sorted(index.search(query)) == found


def test_an_index_made_before_language_names_were_indexed_is_made_again(tmp_path: Path) -> None:
    first = SearchIndex(tmp_path)
    first.put([translation("knae.en", "en", "Knee pain")])
    first.close()
    with sqlite3.connect(tmp_path / ".leaflets-search.sqlite") as older:
        older.execute("PRAGMA user_version = 1")
    older.close()
    again = SearchIndex(tmp_path)
    assert again.keys() == {}  # rebuilt: the desk describes its leaflets again
    again.put([translation("knae.en", "en", "Knee pain")])
    again.close()
    assert SearchIndex(tmp_path).search("engelsk") == ["knae.en"]


def test_five_failures_in_fifteen_minutes_lock_a_name_for_fifteen_minutes() -> None:
    clock = Clock()
    lockout = LockOut(clock=clock)
    for _attempt in range(4):
        lockout.attempt("anna")
        clock.now += 60
    assert lockout.locked_for("anna") == 0
    lockout.attempt("anna")
    assert lockout.locked_for("anna") == 15 * 60
    assert lockout.locked_for("bent") == 0
    clock.now += 15 * 60
    assert lockout.locked_for("anna") == 0


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock() -> None:
    clock = Clock()
    lockout = LockOut(clock=clock)
    for _attempt in range(10):
        lockout.attempt("anna")
        clock.now += 4 * 60
    assert lockout.locked_for("anna") == 0


def test_a_session_ends_after_eight_hours_or_at_log_out() -> None:
    clock = Clock()
    sessions = Sessions(clock=clock)
    token, session = sessions.start("anna")
    assert sessions.find(token) is session and session.csrf != token
    for _visit in range(8 * 3 - 1):  # in use every 20 minutes, for 7 hours 40 minutes
        clock.now += 20 * 60
        assert sessions.find(token) is session
    clock.now += 20 * 60 - 1
    assert sessions.find(token) is session
    clock.now += 1
    assert sessions.find(token) is None  # 8 hours after it began
    other, _session = sessions.start("anna")
    sessions.end(other)
    assert sessions.find(other) is None


def test_thirty_messages_an_hour_then_none() -> None:
    clock = Clock()
    limit = RateLimit(clock=clock)
    assert limit.reserve("anna", 25)
    assert limit.allows("anna", 5) and not limit.allows("anna", 6)
    assert not limit.reserve("anna", 6) and limit.reserve("anna", 5)
    assert not limit.allows("anna", 1) and limit.allows("bent", 30)
    clock.now += 3600
    assert limit.allows("anna", 30)


def test_the_audit_log_appends_and_shows_the_newest_200(tmp_path: Path) -> None:
    path = tmp_path / "desk-audit.jsonl"
    for number in range(250):
        entry = AuditEntry(f"t{number}", "anna", "print", "knae", "Knæ", "FYS-7", "2", "ab", 1)
        append_entry(path, entry)
    with path.open("a") as damaged:
        damaged.write("{not json\n")
    shown = last_entries(path)
    assert len(shown) == 199 and shown[0].when == "t249"
    assert json.loads(path.read_text().splitlines()[0])["user"] == "anna"


def test_every_desk_text_exists_in_every_language() -> None:
    assert set(desk_texts("da")) == set(desk_texts("en"))
    assert desk_texts("da")["user_name"] == "Brugernavn"
    assert desk_texts("en")["log_in"] == "Log in"
    assert desk_texts("de") == desk_texts("en")


def test_the_desk_speaks_english_when_the_profile_does(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('[clinic]\nname = "Physio"\n\n[leaflets]\nlanguage = "en"\n')
    desk = DeskServer(tmp_path, clinic, desk_env(tmp_path))
    desk.start()
    try:
        with urllib.request.urlopen(f"{desk.url}/login", timeout=30) as answer:
            html = answer.read().decode()
    finally:
        desk.stop()
    assert '<html lang="en">' in html
    for text in ("User name", "Password", "Log in"):
        assert text in html
    assert "no users yet" in desk.log


def test_over_tls_the_cookies_are_secure(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    clinic = tmp_path / "clinic.toml"
    clinic.write_text('[clinic]\nname = "Fysio"\n')
    cert, key = self_signed(tmp_path)
    desk = DeskServer(tmp_path, clinic, desk_env(tmp_path))
    desk.start(desk_options=("--certfile", str(cert), "--keyfile", str(key)))
    try:
        trusted = ssl.create_default_context(cafile=str(cert))
        url = f"https://127.0.0.1:{desk.port}/login"
        with urllib.request.urlopen(url, timeout=30, context=trusted) as answer:
            cookie = answer.headers["Set-Cookie"]
    finally:
        desk.stop()
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "beyond this machine" not in desk.log


def test_listening_beyond_this_machine_warns_about_tls(tmp_path: Path) -> None:
    # 192.0.2.1 is a documentation address: the warning comes, then binding fails.
    places = ["--content", str(tmp_path), "--out", str(tmp_path / "out")]
    places += ["--clinic", str(tmp_path / "clinic.toml")]
    started = run("desk", "--host", "192.0.2.1", "--port", "8999", *places)
    assert "beyond this machine" in started.stderr and "TLS" in started.stderr
    assert started.returncode != 0 and "Traceback" not in started.stderr


def test_the_desk_refuses_half_a_certificate(tmp_path: Path) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    answer = run(
        "desk", "--certfile", str(cert), "--content", str(tmp_path), "--out", str(tmp_path / "o")
    )
    assert answer.returncode == 1
    assert answer.stderr.strip() == "error: give both --certfile and --keyfile, or neither"


def test_guessed_names_do_not_pile_up_in_memory() -> None:
    clock = Clock()
    lockout = LockOut(clock=clock)
    for _attempt in range(5):
        lockout.attempt("anna")
    for number in range(10_001):
        lockout.attempt(f"guess{number}")
    clock.now += 16 * 60
    lockout.attempt("late")
    assert len(lockout._failed) == 1 and lockout.locked_for("anna") == 0


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("localhost", True),
        ("LocalHost", True),
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.20", False),
        ("localhost.example.org", False),
    ],
)
def test_one_rule_says_which_hosts_are_this_machine(host: str, local: bool) -> None:
    assert is_local_host(host) is local
