"""The desk's HL7 Infobutton lookup over HTTP, on the real desk, with tokens from the command."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from leaflets.config.defaults import PROJECT_ROOT
from leaflets.config.tokens import load_tokens, token_hash

from ..coded import coded_content
from ..desk_browser import DeskServer, desk_env

ATOM = "{http://www.w3.org/2005/Atom}"
OWN = "{urn:leaflets:infobutton}"
ICPC2 = "2.16.840.1.113883.6.139"
SKS = "1.2.208.176.2.4"
ICD10 = "2.16.840.1.113883.6.3"
SNOMED = "2.16.840.1.113883.6.96"


@dataclass
class Answer:
    status: int
    type: str
    body: str


@dataclass
class Running:
    desk: DeskServer
    token: str
    clinic: Path

    def ask(self, token: str | None = None, **params: str) -> Answer:
        query = urllib.parse.urlencode(
            {key.replace("_", "."): value for key, value in params.items()}
        )
        request = urllib.request.Request(f"{self.desk.url}/infobutton?{query}")
        if token is not None:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return Answer(answer.status, answer.headers["content-type"], answer.read().decode())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers["content-type"], error.read().decode())


def make_leaflet(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(PROJECT_ROOT / "make_leaflet.py"), *args]
    return subprocess.run(command, text=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Iterator[Running]:
    folder = tmp_path_factory.mktemp("infobutton")
    coded_content(folder, corpus)
    clinic = folder / "clinic.toml"
    clinic.write_text('[clinic]\nname = "Fysio Nord"\n\n[leaflets]\nid_prefix = "FYS"\n')
    made = make_leaflet("desk-user", "token", "journal", "--clinic", str(clinic))
    assert made.returncode == 0, made.stderr
    desk = DeskServer(folder, clinic, desk_env(folder))
    desk.start()
    try:
        yield Running(desk, made.stdout.strip(), clinic)
    finally:
        desk.stop()


@pytest.fixture(scope="module")
def corpus() -> Path:
    from ..conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return CORPUS


def entries(body: str) -> list[ET.Element]:
    root = ET.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    return root.findall(f"{ATOM}entry")


def test_the_token_is_kept_only_as_its_hash(running: Running) -> None:
    path = running.clinic.parent / "desk-tokens.toml"
    text = path.read_text()
    assert running.token.startswith("lft_") and running.token not in text
    assert load_tokens(path).hashes == {"journal": token_hash(running.token)}
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_code_finds_its_leaflets_as_an_atom_feed(running: Running) -> None:
    answer = running.ask(
        running.token,
        mainSearchCriteria_v_c="L15",
        mainSearchCriteria_v_cs=ICPC2,
        informationRecipient="PAT",
    )
    assert answer.status == 200 and answer.type.startswith("application/atom+xml")
    [entry] = entries(answer.body)
    assert entry.findtext(f"{ATOM}title") == "Knæ"
    assert entry.get("{http://www.w3.org/XML/1998/namespace}lang") == "da"
    links = {link.get("title"): link.get("href") for link in entry.findall(f"{ATOM}link")}
    assert links["standard"] == f"{running.desk.url}/infobutton/knae/standard.pdf"
    assert links["large print"] == f"{running.desk.url}/infobutton/knae/large-print.pdf"
    assert (entry.findtext(f"{OWN}contentHash") or "").startswith("sha256:")
    assert entry.find(f"{OWN}language").get("fallback") is None  # type: ignore[union-attr]


def test_an_sks_code_and_its_icd10_form_find_the_same_leaflets(running: Running) -> None:
    by_sks = running.ask(running.token, mainSearchCriteria_v_c="DM545", mainSearchCriteria_v_cs=SKS)
    by_icd = running.ask(
        running.token, mainSearchCriteria_v_c="M54.5", mainSearchCriteria_v_cs=ICD10
    )
    titles = sorted(entry.findtext(f"{ATOM}title") or "" for entry in entries(by_sks.body))
    assert titles == ["Bækkensmerter", "Lændehold"]
    assert sorted(e.findtext(f"{ATOM}title") or "" for e in entries(by_icd.body)) == titles


def test_l03_in_english_gives_the_translation_and_says_where_it_falls_back(
    running: Running,
) -> None:
    answer = running.ask(
        running.token,
        mainSearchCriteria_v_c="L03",
        mainSearchCriteria_v_cs=ICPC2,
        informationRecipient="PAT",
        informationRecipient_languageCode_c="en",
        knowledgeResponseType="application/json",
    )
    assert answer.status == 200 and answer.type == "application/json"
    found = {entry["title"]: entry for entry in json.loads(answer.body)["feed"]["entry"]}
    assert set(found) == {"Pelvic pain", "Lændehold"}
    english = found["Pelvic pain"]
    assert english["lang"] == "en" and english["languageFallback"] is False
    assert english["reference"] == "baekkensmerter.en"  # no `id`: the slug, as on the leaflet
    assert english["link"][0]["href"].endswith("/infobutton/baekkensmerter.en/standard.pdf")
    danish = found["Lændehold"]
    assert danish["lang"] == "da" and danish["languageFallback"] is True
    assert danish["requestedLanguage"] == "en"


def test_the_edition_pdf_comes_with_the_token(running: Running) -> None:
    request = urllib.request.Request(f"{running.desk.url}/infobutton/knae/standard.pdf")
    request.add_header("Authorization", f"Bearer {running.token}")
    with urllib.request.urlopen(request, timeout=60) as answer:
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.read(5) == b"%PDF-"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{running.desk.url}/infobutton/knae/standard.pdf", timeout=30)
    assert refused.value.code == 401


def test_an_unknown_code_or_code_system_gets_an_empty_feed(running: Running) -> None:
    for code, system in (("L99", ICPC2), ("123456", "1.2.3.4.5"), ("279039008", SNOMED)):
        answer = running.ask(
            running.token, mainSearchCriteria_v_c=code, mainSearchCriteria_v_cs=system
        )
        assert answer.status == 200, answer.body
        assert entries(answer.body) == []


@pytest.mark.parametrize(
    ("params", "says"),
    [
        ({"mainSearchCriteria_v_cs": ICPC2}, "mainSearchCriteria.v.c"),
        ({"mainSearchCriteria_v_c": "L03"}, "mainSearchCriteria.v.cs"),
        ({"mainSearchCriteria_v_c": "L03", "mainSearchCriteria_v_cs": "icpc2"}, "OID"),
        (
            {"mainSearchCriteria_v_c": "L03", "mainSearchCriteria_v_cs": ICPC2,
             "informationRecipient": "NEIGHBOUR"},
            "PAT or PROV",
        ),
        (
            {"mainSearchCriteria_v_c": "L03", "mainSearchCriteria_v_cs": ICPC2,
             "knowledgeResponseType": "text/html"},
            "knowledgeResponseType",
        ),
        (
            {"mainSearchCriteria_v_c": "L03", "mainSearchCriteria_v_cs": ICPC2,
             "informationRecipient_languageCode_c": "<script>"},
            "language code",
        ),
    ],
)  # fmt: skip
def test_a_bad_parameter_is_a_clear_400(
    running: Running, params: dict[str, str], says: str
) -> None:
    answer = running.ask(running.token, **params)
    assert answer.status == 400
    assert answer.body.startswith("error: ") and says in answer.body
    assert "Traceback" not in answer.body and "Traceback" not in running.desk.log


def test_without_a_token_or_with_a_wrong_one_the_answer_is_401(running: Running) -> None:
    params = {"mainSearchCriteria_v_c": "L03", "mainSearchCriteria_v_cs": ICPC2}
    for token in (None, "lft_not-a-token", running.token + "x"):
        answer = running.ask(token, **params)
        assert answer.status == 401
        assert "L03" not in answer.body and "Bækkensmerter" not in answer.body


def test_a_revoked_token_is_refused_at_once(running: Running) -> None:
    made = make_leaflet("desk-user", "token", "old-journal", "--clinic", str(running.clinic))
    token = made.stdout.strip()
    params = {"mainSearchCriteria_v_c": "L03", "mainSearchCriteria_v_cs": ICPC2}
    assert running.ask(token, **params).status == 200
    revoked = make_leaflet(
        "desk-user", "token", "old-journal", "--revoke", "--clinic", str(running.clinic)
    )
    assert revoked.returncode == 0, revoked.stderr
    assert running.ask(token, **params).status == 401
    assert running.ask(running.token, **params).status == 200
    again = make_leaflet(
        "desk-user", "token", "old-journal", "--revoke", "--clinic", str(running.clinic)
    )
    assert again.returncode == 1 and again.stderr.startswith("error: ")
    assert "Traceback" not in again.stderr
