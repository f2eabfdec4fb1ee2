"""The tool's own files: their digests remembered between commands, and read again on change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leaflets.builder import digests


@pytest.fixture
def fresh_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """A process that has read nothing yet, its store in `tmp_path`; the paths it reads."""
    monkeypatch.setattr(digests, "STORE", tmp_path / "store" / "digests.json")
    monkeypatch.setattr(digests, "_KNOWN", {})
    monkeypatch.setattr(digests, "_stored", None)
    monkeypatch.setattr(digests, "RECENT_NS", -1)  # the files here are seconds old
    read: list[Path] = []
    usual = digests.file_digest

    def reading(path: Path, limit: int = digests.MAX_HASHED_BYTES) -> str:
        read.append(path)
        return usual(path, limit)

    monkeypatch.setattr(digests, "file_digest", reading)
    return read


def _tool(folder: Path) -> Path:
    (folder / "styles").mkdir(parents=True)
    (folder / "styles" / "a.css").write_text("a { color: red }", "utf-8")
    (folder / "b.j2").write_text("{{ b }}", "utf-8")
    return folder


def _next_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(digests, "_KNOWN", {})
    monkeypatch.setattr(digests, "_stored", None)


def test_the_next_command_reads_no_unchanged_file(
    tmp_path: Path, fresh_process: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    tool = _tool(tmp_path / "tool")
    first = digests.tree_digests(tool)
    digests.store_known()
    assert len(fresh_process) == 2
    assert json.loads(digests.STORE.read_text("utf-8"))
    _next_command(monkeypatch)
    fresh_process.clear()
    assert digests.tree_digests(tool) == first
    assert fresh_process == []


def test_a_changed_file_is_read_again(
    tmp_path: Path, fresh_process: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    tool = _tool(tmp_path / "tool")
    first = dict(digests.tree_digests(tool))
    digests.store_known()
    (tool / "b.j2").write_text("{{ c }}", "utf-8")
    _next_command(monkeypatch)
    fresh_process.clear()
    second = dict(digests.tree_digests(tool))
    assert fresh_process == [tool / "b.j2"]
    assert second["b.j2"] != first["b.j2"]
    assert second["styles/a.css"] == first["styles/a.css"]


@pytest.mark.parametrize("stored", [b"{", b"[1, 2]", b'{"x": [1, 2]}', b'{"x": "y"}'])
def test_a_damaged_store_is_ignored(
    tmp_path: Path, fresh_process: list[Path], stored: bytes
) -> None:
    digests.STORE.parent.mkdir()
    digests.STORE.write_bytes(stored)
    tool = _tool(tmp_path / "tool")
    assert len(digests.tree_digests(tool)) == 2
    assert len(fresh_process) == 2


def test_a_store_that_cannot_be_written_costs_only_the_reading(
    tmp_path: Path, fresh_process: list[Path]
) -> None:
    digests.STORE.parent.write_text("a file where the folder would be", "utf-8")
    digests.tree_digests(_tool(tmp_path / "tool"))
    digests.store_known()  # no error
    assert digests.STORE.parent.is_file()
