"""Damaged state heals: a damaged manifest is set aside and rebuilt, a damaged search index is
rebuilt from the PDFs, and a desk on a read-only output folder starts and says what it cannot do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from leaflets.builder.manifest import MANIFEST_NAME

from .conftest import EXAMPLE

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
