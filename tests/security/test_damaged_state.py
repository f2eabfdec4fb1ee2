"""Damaged state heals: a damaged manifest is set aside and rebuilt, a damaged search index is
rebuilt from the PDFs, and a desk on a read-only output folder starts and says what it cannot do."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from leaflets.builder.manifest import MANIFEST_NAME
from leaflets.config.profile import Profile
from leaflets.desk.catalogue import Catalogue
from leaflets.desk.search import INDEX_NAME, SearchIndex

from ..conftest import EXAMPLE

MANIFEST_DAMAGE = {
    "nested": "[" * 100_000 + "]" * 100_000,
    "garbage": "\x00\xff{not json",
}


def _content(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / EXAMPLE.name)
    (folder / "ankel.md").write_text("---\ntitle: Ankel\n---\nOm anklen.\n", "utf-8")
    return folder


def _integer_title(manifest: Path) -> str:
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for editions in data["leaflets"].values():
        for entry in editions.values():
            entry["info"]["title"] = 12345
    return json.dumps(data)


@pytest.mark.parametrize("damage", ["nested", "integer title", "garbage"])
def test_a_damaged_manifest_is_set_aside_and_rebuilt(cli, tmp_path: Path, damage: str) -> None:
    content, out = _content(tmp_path / "content"), tmp_path / "out"
    assert cli("build", content, "-o", out).code == 0
    manifest = out / MANIFEST_NAME
    damaged = _integer_title(manifest) if damage == "integer title" else MANIFEST_DAMAGE[damage]
    manifest.write_bytes(damaged.encode("utf-8", "surrogateescape"))
    good = {path.name: path.read_bytes() for path in out.glob("*.pdf")}
    assert {"baekkensmerter.pdf", "ankel.pdf"} <= set(good)
    for _ in range(2):  # and the build after it is clean
        result = cli("build", content, "-o", out)
        assert result.code == 0, result.err
    assert not [line for line in cli("build", content, "-o", out).warnings if MANIFEST_NAME in line]
    assert (out / f"{MANIFEST_NAME}.damaged").read_bytes() == damaged.encode(
        "utf-8", "surrogateescape"
    )
    assert json.loads(manifest.read_text(encoding="utf-8"))["leaflets"]
    assert {path.name for path in out.glob("*.pdf")} == set(good)


def test_the_damaged_manifest_warns_once(cli, tmp_path: Path) -> None:
    content, out = _content(tmp_path / "content"), tmp_path / "out"
    assert cli("build", content, "-o", out).code == 0
    (out / MANIFEST_NAME).write_text("[" * 100_000, encoding="utf-8")
    result = cli("build", content, "-o", out)
    assert result.code == 0, result.err
    damaged = [line for line in result.warnings if MANIFEST_NAME in line]
    assert damaged == [
        f"warning: {out / MANIFEST_NAME}: damaged; set aside as {MANIFEST_NAME}.damaged,"
        " and rebuilt"
    ]
    assert len(list(out.glob("*.pdf"))) == 3  # two leaflets and the index


def _damage_pages(index: Path) -> None:
    data = bytearray(index.read_bytes())
    half = len(data) // 2
    data[half:] = b"\xab" * (len(data) - half)
    index.write_bytes(bytes(data))


def _bad_row(index: Path) -> None:
    with sqlite3.connect(index) as db:
        db.execute("UPDATE leaflets SET record = 'not a record' WHERE rowid = 1")
        db.execute("INSERT INTO leaflets VALUES ('x', 7, x'00ff')")


def _wrong_schema(index: Path) -> None:
    index.unlink()
    with sqlite3.connect(index) as db:
        db.execute("CREATE TABLE leaflets (name TEXT, size INTEGER)")
        db.execute("CREATE TABLE texts (slug TEXT)")


def _folder_in_its_place(index: Path) -> None:
    index.unlink()
    (index / "inside").mkdir(parents=True)


INDEX_DAMAGE = {
    "damaged pages": _damage_pages,
    "a bad row": _bad_row,
    "a wrong schema": _wrong_schema,
    "a folder in its place": _folder_in_its_place,
}


@pytest.fixture(scope="module")
def described(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A content folder and its output folder, described once by a desk's catalogue."""
    folder = tmp_path_factory.mktemp("desk")
    content, out = _content(folder / "content"), folder / "out"
    catalogue = Catalogue(content, out, Profile())
    try:
        assert catalogue.refresh() == []
        assert len(catalogue.records()) == 2
    finally:
        catalogue.close()
    return content, out


@pytest.mark.parametrize("damage", list(INDEX_DAMAGE))
def test_a_damaged_search_index_is_rebuilt_from_the_pdfs(
    described: tuple[Path, Path], tmp_path: Path, damage: str
) -> None:
    content, out = described
    copy = tmp_path / "out"
    shutil.copytree(out, copy)
    INDEX_DAMAGE[damage](copy / INDEX_NAME)
    catalogue = Catalogue(content, copy, Profile())
    try:
        assert catalogue.refresh() == []
        assert sorted(record.slug for record in catalogue.records()) == ["ankel", "baekkensmerter"]
        assert [record.slug for record in catalogue.find("bækken")] == ["baekkensmerter"]
        assert catalogue.index.saved
    finally:
        catalogue.close()
    assert (copy / INDEX_NAME).is_file()
    assert SearchIndex(copy).keys().keys() == {"ankel", "baekkensmerter"}
