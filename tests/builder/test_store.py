"""The store of editions: every way of printing kept side by side, the last good PDF kept
when a rebuild fails, and a PDF owned by the article whose file name it carries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pdfplumber
import pytest

from leaflets.api import BuildOptions, LeafletError, build_leaflet, load_profile, plan_catalogue
from leaflets.builder import manifest as manifest_module
from leaflets.builder.batch import build_pool
from leaflets.builder.manifest import MANIFEST_NAME, source_fingerprint
from leaflets.config.options import Limits
from leaflets.config.profile import Profile

from ..conftest import EXAMPLE, Run

BROKEN_DATE = "lastUpdated: 31/02/2025"


def built_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("built ")]


def mtimes(folder: Path) -> dict[str, int]:
    return {pdf.name: pdf.stat().st_mtime_ns for pdf in folder.glob("*.pdf")}


def editions(out: Path) -> dict[str, dict[str, dict[str, object]]]:
    """The manifest's entries: article key, then edition name."""
    data = json.loads((out / MANIFEST_NAME).read_text("utf-8"))
    assert data["format"] == manifest_module.FORMAT
    return data["leaflets"]  # type: ignore[no-any-return]


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return " ".join(" ".join((page.extract_text() or "").split()) for page in pdf.pages)


def short_article(folder: Path, name: str, title: str, body: str, extra: str = "") -> Path:
    path = folder / name
    path.write_text(
        f"---\ntitle: {title}\ndatePublished: 19/02/2025\n{extra}---\n\n{body}\n", "utf-8"
    )
    return path


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)
    short_article(folder, "knae.md", "Knæ", "Om knæet og hvad du selv kan gøre.")
    return folder


def test_switching_editions_never_rebuilds_one_that_is_up_to_date(
    cli, content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    source = content / EXAMPLE.name
    assert cli("build", content, "-o", out).code == 0
    standard = (out / "baekkensmerter.pdf").read_bytes()
    large = cli("build", source, "-o", out, "--large-print")
    assert built_lines(large.out) == [f"built {out / 'baekkensmerter-large-print.pdf'}"]
    assert (out / "baekkensmerter.pdf").read_bytes() == standard  # not overwritten
    before = mtimes(out)
    assert built_lines(cli("build", source, "-o", out).out) == []
    assert built_lines(cli("build", content, "-o", out).out) == []  # nor the index
    assert built_lines(cli("build", source, "-o", out, "--large-print").out) == []
    booklet = cli("build", source, "-o", out, "--booklet")
    assert built_lines(booklet.out) == [f"built {out / 'baekkensmerter-booklet.pdf'}"]
    assert {name: mtimes(out)[name] for name in before} == before
    kept = editions(out)
    (key,) = [key for key in kept if key.endswith("baekkensmerter.md")]
    assert set(kept[key]) == {"standard", "large-print", "booklet"}
    assert kept[key]["booklet"]["target"] == "baekkensmerter-booklet.pdf"


def test_a_desk_edition_leaves_the_folder_build_with_nothing_to_do(
    cli, content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert cli("build", content, "-o", out).code == 0
    profile = load_profile()
    for options in (BuildOptions(large_print=True), BuildOptions(booklet=True)):
        desk = plan_catalogue([content / EXAMPLE.name], out, profile, options, Limits.default())
        with build_pool(desk.limits, desk.options) as pool:
            (outcome,) = list(desk.leaflets(pool))
        assert outcome.ok and not outcome.fresh
    before = mtimes(out)
    run = cli("build", content, "-o", out)
    assert run.code == 0 and built_lines(run.out) == []
    assert mtimes(out) == before
    again = plan_catalogue(
        [content], out, profile, BuildOptions(large_print=True), Limits.default()
    )
    # Up-to-date editions come first: knae.md had no large print yet.
    with build_pool(again.limits, again.options) as pool:
        found = [(o.job.source.name, o.fresh) for o in again.leaflets(pool)]
    assert found == [
        (EXAMPLE.name, True),
        ("knae.md", False),
    ]


def test_a_failed_rebuild_keeps_the_last_good_pdf_marked_stale(
    cli, content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert cli("build", content, "-o", out).code == 0
    good = (out / "knae.pdf").read_bytes()
    index = (out / "index.pdf").read_bytes()
    source = content / "knae.md"
    source.write_text(source.read_text("utf-8").replace("---\n\n", f"{BROKEN_DATE}\n---\n\n"))
    run: Run = cli("build", content, "-o", out)
    assert run.code == 1
    error = f"{source}: 'lastUpdated': '31/02/2025' is not a real date"
    assert run.errors == [f"error: {error}"]
    assert f"warning: kept the last good {out / 'knae.pdf'}, made from an older text" in run.err
    assert (out / "knae.pdf").read_bytes() == good
    assert (out / "index.pdf").read_bytes() == index  # it still lists the last good one
    entry = next(e["standard"] for k, e in editions(out).items() if k.endswith("knae.md"))
    assert entry["error"] == error
    first_failure = entry["stale_since"]
    assert isinstance(first_failure, str) and first_failure[:4].isdigit()
    # A second failure does not move the date of the first.
    assert cli("build", content, "-o", out).code == 1
    entry = next(e["standard"] for k, e in editions(out).items() if k.endswith("knae.md"))
    assert entry["stale_since"] == first_failure
    # `list` and the library offer it, saying since when and why it is stale.
    listed = json.loads(cli("list", content, "-o", out, "--format", "json").out)
    (knae,) = [row for row in listed if row["slug"] == "knae"]
    assert knae["built"] and knae["stale_since"] == first_failure and knae["error"]
    outcome = build_leaflet(source, out, load_profile(), last_good=True)
    assert outcome.target == out / "knae.pdf" and outcome.stale_since == first_failure
    assert outcome.info is not None and outcome.info.stale_since == first_failure
    assert outcome.error == error
    with pytest.raises(LeafletError, match="not a real date"):
        build_leaflet(source, out, load_profile())
    # Mended, it is built again and no longer stale.
    source.write_text(source.read_text("utf-8").replace(f"{BROKEN_DATE}\n", ""), "utf-8")
    assert cli("build", content, "-o", out).code == 0
    entry = next(e["standard"] for k, e in editions(out).items() if k.endswith("knae.md"))
    assert entry["stale_since"] == "" and entry["error"] == ""


def test_an_edition_never_built_is_unavailable_with_the_error(
    cli, content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert cli("build", content, "-o", out).code == 0
    source = content / "knae.md"
    source.write_text(source.read_text("utf-8").replace("---\n\n", f"{BROKEN_DATE}\n---\n\n"))
    run = cli("build", source, "-o", out, "--large-print")
    assert run.code == 1 and "not a real date" in run.err
    assert not (out / "knae-large-print.pdf").exists()
    catalogue = plan_catalogue(
        [source], out, load_profile(), BuildOptions(large_print=True), Limits.default()
    )
    with build_pool(catalogue.limits, catalogue.options) as pool:
        (outcome,) = list(catalogue.leaflets(pool))
    assert outcome.target is None and not outcome.stale_since
    assert outcome.error is not None and "not a real date" in outcome.error
    with pytest.raises(LeafletError, match="not a real date"):
        build_leaflet(source, out, load_profile(), BuildOptions(large_print=True), last_good=True)


def test_a_deleted_article_takes_its_pdfs_with_it_and_nothing_else(
    cli, content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert cli("build", content, "-o", out).code == 0
    assert cli("build", content / "knae.md", "-o", out, "--large-print").code == 0
    (out / "notes.pdf").write_bytes(b"%PDF- somebody else's file")
    (content / "knae.md").unlink()
    run = cli("build", content, "-o", out)
    assert run.code == 0, run.err
    assert not (out / "knae.pdf").exists() and not (out / "knae-large-print.pdf").exists()
    assert (out / "baekkensmerter.pdf").is_file() and (out / "notes.pdf").is_file()
    assert not any(key.endswith("knae.md") for key in editions(out))


def test_a_renamed_slug_takes_the_old_pdfs_of_its_article_away(
    cli, content: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    source = content / "knae.md"
    assert cli("build", content, "-o", out).code == 0
    assert cli("build", source, "-o", out, "--large-print").code == 0
    source.write_text(source.read_text("utf-8").replace("title: Knæ", "title: Knæ\nslug: knaeet"))
    assert cli("build", content, "-o", out).code == 0
    assert (out / "knaeet.pdf").is_file()
    assert not (out / "knae.pdf").exists() and not (out / "knae-large-print.pdf").exists()


def collision(folder: Path) -> tuple[Path, Path]:
    owner = short_article(folder, "a-raad.md", "Gode råd", "Ejerens egen tekst om gode råd.")
    impostor = short_article(
        folder,
        "z-other.md",
        "Noget andet",
        "Bedragerens tekst, som aldrig må trykkes.",
        "slug: a-raad\n",
    )
    return owner, impostor


@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["2", "1"])
def test_a_slug_never_takes_another_articles_name(cli, tmp_path: Path, jobs: str) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    _owner, impostor = collision(folder)
    out = tmp_path / "out"
    expected = f"{impostor}: its slug 'a-raad' is the name of a-raad.md; give it another slug"
    for _run in range(20):
        run: Run = cli("build", folder, "-o", out, "-j", jobs, "--force")
        assert run.code == 1
        assert run.errors == [f"error: {expected}"]
        text = pdf_text(out / "a-raad.pdf")
        assert "Ejerens egen tekst" in text and "Bedragerens" not in text
        assert sorted(pdf.name for pdf in out.glob("*.pdf")) == ["a-raad.pdf", "index.pdf"]


def test_the_impostor_alone_is_refused_too(cli, tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    _owner, impostor = collision(folder)
    out = tmp_path / "out"
    run = cli("build", impostor, "-o", out)  # the owner is not part of this build
    assert run.code == 1 and "is the name of a-raad.md" in run.err
    assert not (out / "a-raad.pdf").exists()


def test_no_article_takes_the_index_s_name(cli, tmp_path: Path) -> None:
    folder = tmp_path / "content"
    folder.mkdir()
    owner = short_article(folder, "a-raad.md", "Gode råd", "Ejerens egen tekst om gode råd.")
    out = tmp_path / "out"
    assert cli("build", folder, "-o", out).code == 0
    index = (out / "index.pdf").read_bytes()
    hostile = short_article(folder, "evil.md", "Falsk liste", "Jeg er listen nu.", "slug: index\n")
    run = cli("build", folder, "-o", out)
    assert run.code == 1
    assert run.errors == [
        f"error: {hostile}: its slug 'index' is the name of the index of leaflets; "
        "give it another slug"
    ]
    assert (out / "index.pdf").read_bytes() == index  # the good index stays
    assert cli("check", hostile).code == 1
    assert (out / "a-raad.pdf").is_file() and owner.is_file()


def test_each_image_is_hashed_once_however_often_it_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "images").mkdir()
    image = tmp_path / "images" / "figur.svg"
    image.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', "utf-8")
    # 400 references, all to one file.
    names = [
        *(f"./images/{'./' * n}figur.svg" for n in range(200)),
        *(f"images/../images/{'./' * n}figur.svg" for n in range(200)),
    ]
    source = tmp_path / "figur.md"
    body = "\n\n".join(f"![Figur {n}]({name})" for n, name in enumerate(names))
    source.write_text(f"---\ntitle: Figur\n---\n\n{body}\n", "utf-8")
    read: list[Path] = []
    real_digest = manifest_module.file_digest

    def counted(path: Path, *args: int) -> str:
        read.append(path)
        return real_digest(path, *args)

    monkeypatch.setattr(manifest_module, "file_digest", counted)
    first = source_fingerprint(source, Profile())
    assert len(set(names)) == 400
    assert sum(1 for path in read if path.resolve() == image.resolve()) == 1
    image.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>', "utf-8")
    assert source_fingerprint(source, Profile()) != first


def test_the_desk_offers_the_last_good_leaflet_of_an_article_that_fails(
    content: Path, tmp_path: Path
) -> None:
    from leaflets.desk.catalogue import Catalogue

    out = tmp_path / "out"
    desk = Catalogue(content, out, load_profile(), Limits(workers=1))
    try:
        assert desk.refresh() == []
        good = (out / "knae.pdf").read_bytes()
        source = content / "knae.md"
        source.write_text(source.read_text("utf-8").replace("---\n\n", f"{BROKEN_DATE}\n---\n\n"))
        problems = desk.refresh()
        assert [p.source for p in problems] == [str(source)]
        record = desk.record("knae")
        assert record is not None and record.stale_since and "not a real date" in record.error
        assert record.title == "Knæ"
        assert desk.pdf_path("knae") == out / "knae.pdf"
        assert (out / "knae.pdf").read_bytes() == good
        assert desk.prepare("knae", "standard").stale_since == record.stale_since
        with pytest.raises(LeafletError, match="not a real date"):
            desk.prepare("knae", "large")  # never built: nothing to offer
    finally:
        desk.close()


def test_a_file_the_user_named_is_never_removed(cli, tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert cli("build", EXAMPLE, "-o", first).code == 0
    assert cli("build", EXAMPLE, "-o", second).code == 0
    assert first.is_file() and second.is_file()
