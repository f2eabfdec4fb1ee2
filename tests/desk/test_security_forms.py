"""Odd numbers and odd text in the desk's forms get the form's own message, by the same rule
for the note and the name as the command line's --note and --patient."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leaflets.config.errors import LeafletError
from leaflets.deliver.personal import checked_name, checked_note
from leaflets.desk.forms import FormError, copies_from, name_from, note_from

from .live import CSRF, Client, Site, running_site

ODD_TEXT = ["\x1b[31mrød", "nul\x00byte", "fdp.exe\u202e", "a\u2066b", "linje\u2028skift"]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("forms")) as running:
        yield running


@pytest.fixture(scope="module")
def staff(site: Site) -> tuple[Client, str]:
    client = site.client()
    assert client.log_in().status == 303
    found = CSRF.search(client.get("/leaflet/knaesmerter").text)
    assert found
    return client, found.group(1)


@pytest.mark.parametrize("copies", ["²", "٣", "1e2", "0x10", "-1", "+2", "1.0", "", "1000"])
def test_odd_copies_get_the_forms_message(
    site: Site, staff: tuple[Client, str], copies: str
) -> None:
    client, csrf = staff
    form = {"csrf": csrf, "copies": copies, "variant": "standard", "printer": ""}
    answer = client.post("/leaflet/knaesmerter/print", form)
    assert answer.status == 422
    assert "Antal skal være et helt tal fra 1 til 100." in answer.text


@pytest.mark.parametrize("odd", ODD_TEXT)
def test_odd_notes_and_names_get_the_forms_message(
    site: Site, staff: tuple[Client, str], odd: str
) -> None:
    client, csrf = staff
    base = {"csrf": csrf, "step": "preview", "to": "p@example.org", "name": "", "note": ""}
    note = client.post("/leaflet/knaesmerter/send", {**base, "note": odd})
    assert note.status == 422 and "Beskeden må ikke indeholde kontroltegn" in note.text
    name = client.post("/leaflet/knaesmerter/send", {**base, "name": odd})
    assert name.status == 422 and "Navnet skal stå på én linje" in name.text
    assert len(site.inbox.received) == 0


def test_the_name_and_note_limits_are_the_command_lines(
    site: Site, staff: tuple[Client, str]
) -> None:
    client, csrf = staff
    base = {"csrf": csrf, "step": "preview", "to": "p@example.org", "name": "", "note": ""}
    assert client.post("/leaflet/knaesmerter/send", {**base, "name": "A" * 100}).status == 200
    long_name = client.post("/leaflet/knaesmerter/send", {**base, "name": "A" * 101})
    assert long_name.status == 422 and "højst 100 tegn" in long_name.text
    assert client.post("/leaflet/knaesmerter/send", {**base, "note": "ø" * 600}).status == 200
    long_note = client.post("/leaflet/knaesmerter/send", {**base, "note": "ø" * 601})
    assert long_note.status == 422 and "højst 600 tegn (den har 601)" in long_note.text


@pytest.mark.parametrize("odd", ODD_TEXT)
def test_one_rule_refuses_the_same_text_on_both_sides(odd: str) -> None:
    with pytest.raises(LeafletError):
        checked_note(odd, "--note")
    with pytest.raises(FormError):
        note_from(odd)
    with pytest.raises(LeafletError):
        checked_name(odd)
    with pytest.raises(FormError):
        name_from(odd)


def test_plain_text_passes_both_alike() -> None:
    note = "Lav øvelserne\nmorgen og aften."
    assert note_from(note) == checked_note(note, "--note") == note
    assert name_from("  Anna   Jensen ") == checked_name("  Anna   Jensen ") == "Anna Jensen"
    assert copies_from(" 3 ") == 3
