"""The library API the command line and the desk share, and the catalogue's promises."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from leaflets.api import build_catalogue, build_leaflet, find_leaflet, load_profile
from leaflets.builder.catalogue import private_copy
from leaflets.builder.info import LeafletInfo
from leaflets.builder.manifest import MANIFEST_NAME
from leaflets.config.errors import LeafletError
from leaflets.config.options import BuildOptions, Personal
from leaflets.deliver.record import EMAILED, PRINTED, record_line

from .conftest import EXAMPLE, PROJECT_ROOT, Run, copy_example
from .paths import TESTS


def readme_python_example() -> str:
    text = (PROJECT_ROOT / "docs" / "library.md").read_text(encoding="utf-8")
    found = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert found, "docs/library.md has no Python example"
    return found.group(1)


def test_the_readme_python_example_runs_as_written(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    copy_example(tmp_path / "content")
    run = subprocess.run(
        [sys.executable, "-c", readme_python_example()],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("handouts/baekkensmerter.pdf Bækkensmerter ")
    assert (tmp_path / "handouts" / "baekkensmerter.pdf").is_file()


def test_the_worker_tells_what_the_parent_needs(tmp_path: Path) -> None:
    outcome = build_leaflet(EXAMPLE, tmp_path, load_profile())
    info = outcome.info
    assert info is not None and outcome.target == tmp_path / "baekkensmerter.pdf"
    assert (info.title, info.slug, info.language) == ("Bækkensmerter", "baekkensmerter", "da")
    assert info.review is not None and info.review.isoformat() == "2028-11-24"
    assert info.online.endswith("/baekkensmerter")
    with pdfplumber.open(outcome.target) as pdf:
        assert info.pages == len(pdf.pages)
    # The manifest keeps it, so that nobody has to parse the article again.
    kept = json.loads((tmp_path / MANIFEST_NAME).read_text())
    (editions,) = kept["leaflets"].values()
    assert LeafletInfo.from_dict(editions["standard"]["info"]) == info
    again = build_leaflet(EXAMPLE, tmp_path, load_profile())
    assert again.fresh and again.info == info


def test_two_articles_for_one_pdf_are_an_error_naming_both(tmp_path: Path, cli) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    real = Path(shutil.copy(EXAMPLE, articles / "a-baekkensmerter.md"))
    out = tmp_path / "out"
    assert cli("build", articles, "-o", out).code == 0
    good = (out / "a-baekkensmerter.pdf").read_bytes()
    impostor = articles / "impostor.md"
    impostor.write_text(
        real.read_text("utf-8").replace(
            "title: Bækkensmerter", "title: Noget andet\nslug: a-baekkensmerter", 1
        ),
        "utf-8",
    )
    run: Run = cli("build", articles, "-o", out)
    assert run.code == 1
    assert any(str(impostor) in line and "a-baekkensmerter.md" in line for line in run.errors), (
        run.err
    )
    assert (out / "a-baekkensmerter.pdf").read_bytes() == good
    assert not list(out.glob(".*.pdf.*")), "no staged file is left behind"
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    targets = [
        entry["target"] for editions in manifest["leaflets"].values() for entry in editions.values()
    ]
    assert targets.count("a-baekkensmerter.pdf") == 1


def test_the_manifest_names_no_folder_outside_the_project(tmp_path: Path) -> None:
    elsewhere = tmp_path / "home" / "someone" / "Skrivebord"
    elsewhere.mkdir(parents=True)
    source = copy_example(elsewhere)
    out = PROJECT_ROOT / "output" / "manifest-test"
    try:
        build_leaflet(source, out, load_profile())
        text = (out / MANIFEST_NAME).read_text()
    finally:
        shutil.rmtree(out, ignore_errors=True)
        with contextlib.suppress(OSError):  # an output folder this test made, left empty
            out.parent.rmdir()
    assert "someone" not in text and "Skrivebord" not in text and ".." not in text
    assert "baekkensmerter.md" in text


def test_a_catalogue_yields_an_outcome_per_leaflet_then_the_index(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    copy_example(articles)
    (articles / "broken.md").write_text("---\ntitle: [\n---\nx\n", "utf-8")
    outcomes = list(build_catalogue([articles], tmp_path / "out", load_profile()))
    # Outcomes come as workers finish: in the order of their articles only with one worker.
    leaflets = sorted((o for o in outcomes if hasattr(o, "job")), key=lambda o: o.job.source.name)
    assert [o.ok for o in leaflets] == [True, False]
    assert leaflets[1].error is not None and str(articles / "broken.md") in leaflets[1].error
    assert outcomes[-1].target == tmp_path / "out" / "index.pdf"


def test_a_personal_copy_has_the_note_and_leaves_nothing_behind(tmp_path: Path) -> None:
    note = "Lav øvelserne morgen og aften, og ring hvis smerterne bliver værre."
    personal = Personal(note=note, patient="Anna Jensen")
    with private_copy(EXAMPLE, load_profile(), BuildOptions(), personal) as outcome:
        assert outcome.target is not None
        private = outcome.target.parent
        with pdfplumber.open(outcome.target) as pdf:
            first = " ".join((pdf.pages[0].extract_text() or "").split())
    assert "Til dig fra din fysioterapeut" in first
    assert "Til Anna Jensen" in first and "ring hvis smerterne bliver værre" in first
    assert not private.exists()
    assert "Anna" not in repr(personal) and "øvelserne" not in repr(personal)


def test_a_leaflet_without_a_note_is_unchanged_by_the_note_feature(tmp_path: Path) -> None:
    plain = build_leaflet(EXAMPLE, tmp_path / "plain", load_profile())
    with private_copy(EXAMPLE, load_profile(), BuildOptions(), None) as copy:
        assert copy.target is not None
        assert copy.target.read_bytes() == plain.target.read_bytes()  # type: ignore[union-attr]


def test_a_note_longer_than_600_characters_is_refused() -> None:
    with pytest.raises(LeafletError, match="at most 600"):
        Personal(note="x" * 601)


def test_the_record_line_names_the_text_and_nothing_personal() -> None:
    import datetime as dt

    info = LeafletInfo(
        title="Bækkensmerter",
        slug="baekkensmerter",
        language="da",
        reference="FYS-012",
        version="3",
        content_hash="3f2a9c1d" + "0" * 56,
        review=dt.date(2027, 2, 19),
    )
    day = dt.date(2026, 12, 1)
    assert record_line(info, PRINTED, 2, "da", day) == (
        "Patientinformation udleveret 01.12.2026: »Bækkensmerter« "
        "(FYS-012, version 3, næste revision 19.02.2027, tekst 3f2a9c1d), udskrevet 2 stk."
    )
    assert record_line(info, EMAILED, 1, "da", day).endswith("sendt på e-mail til 1 modtager.")
    assert record_line(info, EMAILED, 3, "en", day).endswith("sent by email to 3 recipients.")


def test_a_leaflet_is_found_by_slug_title_or_path(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    source = copy_example(content)
    for name in ("baekkensmerter", "Bækkensmerter", "BAEKKENSMERTER", str(source)):
        assert find_leaflet(name, content, tmp_path / "out") == source
    with pytest.raises(LeafletError) as missed:
        find_leaflet("baekensmerter", content, tmp_path / "out")
    assert "no leaflet 'baekensmerter'" in str(missed.value)
    assert "did you mean 'baekkensmerter'?" in str(missed.value)


def test_a_misspelt_name_is_an_error_before_any_printer_error(cli) -> None:
    run = cli("print", "baekensmerter", "--printer", "no-such-queue")
    assert run.code == 1
    assert run.errors == [
        "error: no leaflet 'baekensmerter' in content; did you mean 'baekkensmerter'?"
    ]


def test_list_shows_every_leaflet_as_text_and_json(cli, tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    copy_example(content)
    out = tmp_path / "out"
    text = cli("list", content, "-o", out)
    assert text.code == 0, text.err
    assert "baekkensmerter" in text.out and "Bækkensmerter" in text.out and "not built" in text.out
    assert cli("build", content, "-o", out).code == 0
    listed = cli("list", content, "-o", out, "--format", "json")
    (row,) = json.loads(listed.out)
    assert row["title"] == "Bækkensmerter" and row["built"] is True and row["pages"] >= 1


def test_output_paths_say_what_they_mean(cli, tmp_path: Path) -> None:
    folder = tmp_path / "new-folder"
    assert cli("build", EXAMPLE, "-o", folder).code == 0
    assert (folder / "baekkensmerter.pdf").is_file()
    second = copy_example(tmp_path)
    run = cli("build", EXAMPLE, second, "-o", tmp_path / "two.pdf")
    assert run.code == 1 and "several leaflets go into a folder" in run.err
    assert not (tmp_path / "two.pdf").exists()
    upper = cli("build", EXAMPLE, "--format", "A5", "-o", tmp_path / "a5.pdf")
    assert upper.code == 0, upper.err
    with pdfplumber.open(tmp_path / "a5.pdf") as pdf:
        assert round(pdf.pages[0].width) == 420


def test_only_a_published_date_prints_no_empty_update_label(article, tmp_path: Path, cli) -> None:
    source = article("---\ntitle: Kun udgivet\ndatePublished: 2025-02-19\n---\n\nTekst.\n")
    run = cli("build", source, "-o", tmp_path / "x.pdf", "--html")
    assert run.code == 0, run.err
    html = (tmp_path / "x.html").read_text("utf-8")
    dateline = html.split('class="dateline"', 1)[1].split("</p>", 1)[0]
    assert "Udgivet" in dateline and "Senest opdateret" not in dateline


def test_python_outside_the_venv_says_what_to_run(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-I", "-S", PROJECT_ROOT / "make_leaflet.py", "list"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and ".venv/bin/make-leaflet" in run.stderr


@pytest.mark.parametrize(
    "odd", ["datePublished: 9999-12-01", "lang: zz", "lang: da-12345678"], ids=str
)
def test_one_odd_article_never_stops_a_folder(cli, tmp_path: Path, odd: str) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    copy_example(articles)
    (articles / "odd.md").write_text(f"---\ntitle: Skævt\n{odd}\n---\n\nTekst.\n", "utf-8")
    build = cli("build", articles, "-o", tmp_path / "out")
    assert build.code == 1
    assert [line for line in build.errors if str(articles / "odd.md") in line] == build.errors
    assert (tmp_path / "out" / "baekkensmerter.pdf").is_file()
    check = cli("check", articles)
    assert check.code == 1 and "Traceback" not in check.err
    assert f"{articles / 'odd.md'}:" in check.out and "2 articles checked" in check.out


def test_print_and_email_pick_the_translation_asked_for(cli, tmp_path: Path) -> None:
    import email
    from email import policy

    content = tmp_path / "content"
    content.mkdir()
    copy_example(content)
    fixture = TESTS / "fixtures" / "translations" / "baekkensmerter.en.md"
    shutil.copy(fixture, content / fixture.name)
    eml = tmp_path / "til-patient.eml"
    source = content / "baekkensmerter.md"
    run = cli("email", source, "--lang", "en", "--to", "patient@example.org", "--eml", eml)
    assert run.code == 0, run.err
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    # The neutral subject, in the leaflet's language; the title is on the attachment.
    assert str(message["Subject"]) == "Information from Fysioterapi Søndergade"
    assert next(message.iter_attachments()).get_filename().startswith("Pelvic pain")
    missing = cli("email", source, "--lang", "de", "--to", "patient@example.org", "--eml", eml)
    assert missing.code == 1
    assert "has no translation into 'de' (languages: da, en)" in missing.err
    printing = cli("print", source, "--lang", "de", "--printer", "none")
    assert printing.code == 1 and "has no translation into 'de'" in printing.err


def test_the_index_lists_a_leaflet_once_with_its_languages(cli, tmp_path: Path) -> None:
    import pdfplumber as plumber

    content = tmp_path / "content"
    content.mkdir()
    copy_example(content)
    fixture = TESTS / "fixtures" / "translations" / "baekkensmerter.en.md"
    shutil.copy(fixture, content / fixture.name)
    out = tmp_path / "out"
    run = cli("build", content, "-o", out)
    assert run.code == 0, run.err
    assert (out / "baekkensmerter.en.pdf").is_file()
    with plumber.open(out / "index.pdf") as pdf:
        text = " ".join((pdf.pages[0].extract_text() or "").split())
    assert text.count("Bækkensmerter") == 1 and "Pelvic pain" not in text
    assert "Sprog: Dansk · English" in text
    assert "1 folder" in text
