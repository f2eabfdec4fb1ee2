"""The work done outside the build workers is bounded: size first, then clean errors per file."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from leaflets.article.files import read_bounded
from leaflets.article.model import load_article
from leaflets.builder.digests import file_digest
from leaflets.builder.manifest import source_fingerprint
from leaflets.checks.run import check_files
from leaflets.checks.settings import CheckSettings
from leaflets.config.defaults import MAX_ARTICLE_BYTES, PROJECT_ROOT
from leaflets.config.errors import LeafletError
from leaflets.config.labels import available_languages
from leaflets.config.profile import Profile

from ..conftest import EXAMPLE, Run

GIGABYTE = 1 << 30
THERE_ARE = ", ".join(available_languages())
TODAY = dt.date(2026, 1, 1)
HANG_GUARD_SECONDS = 120
ODD_VALUES = {
    "future.md": ("datePublished: 9999-12-01", "'datePublished': 9999-12-01 is not between"),
    "ancient.md": ("lastUpdated: 1066-10-14", "'lastUpdated': 1066-10-14 is not between"),
    "zz.md": ("lang: zz", f"'lang' 'zz' has no label file (there are: {THERE_ARE})"),
    "region.md": ("lang: da-12345678", "'lang' 'da-12345678' is not a language and region"),
    "unknown-region.md": ("lang: da-XX", "'lang' 'da-XX' is not a language and region"),
    "not-a-code.md": ("lang: da_DK.UTF-8", "'lang' is not a language code: 'da_DK.UTF-8'"),
}


def bytes_read() -> int:
    """How many bytes this process has read so far (any file, any way)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def sparse_article(folder: Path, size: int = GIGABYTE) -> Path:
    """A file of `size` bytes that takes no room on disk."""
    path = folder / "huge.md"
    with path.open("wb") as file:
        file.write(b"---\ntitle: Stor\n---\n")
        file.truncate(size)
    return path


def odd_article(folder: Path, name: str) -> Path:
    line, _message = ODD_VALUES[name]
    path = folder / name
    path.write_text(f"---\ntitle: Underlig\n{line}\n---\nTekst.\n", encoding="utf-8")
    return path


def test_a_huge_article_is_refused_before_a_byte_of_it_is_read(tmp_path: Path) -> None:
    huge = sparse_article(tmp_path)
    before = bytes_read()
    with pytest.raises(LeafletError, match="is larger than 2 MB"):
        load_article(huge)
    (finding,) = check_files([huge], CheckSettings(), TODAY).findings
    assert (finding.rule, finding.message) == ("load", "is larger than 2 MB")
    with pytest.raises(OSError, match="larger than"):
        source_fingerprint(huge, Profile())
    assert file_digest(huge, MAX_ARTICLE_BYTES) == "missing"
    assert bytes_read() - before < 1_000_000


def test_a_pipe_named_like_an_article_is_not_waited_on(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.md"
    subprocess.run(["mkfifo", str(pipe)], check=True)
    with pytest.raises(OSError, match="not a regular file"):
        read_bounded(pipe, MAX_ARTICLE_BYTES)
    with pytest.raises(LeafletError, match="is not a file"):
        load_article(pipe)


@pytest.mark.parametrize("name", sorted(ODD_VALUES))
def test_an_odd_value_is_a_one_line_error_naming_file_and_key(tmp_path: Path, name: str) -> None:
    path = odd_article(tmp_path, name)
    with pytest.raises(LeafletError) as raised:
        load_article(path)
    assert str(raised.value).startswith(f"{path}: {ODD_VALUES[name][1]}")


def test_check_reports_odd_values_as_load_errors_and_goes_on(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    for name in ODD_VALUES:
        odd_article(tmp_path, name)
    shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name)
    result = cli("check", tmp_path)
    assert result.code == 1
    assert "Traceback" not in result.err and "unexpected failure" not in result.err
    load_errors = [line for line in result.out.splitlines() if line.endswith("[load]")]
    for name, (_line, message) in ODD_VALUES.items():
        assert any(
            line.startswith(str(tmp_path / name)) and message in line for line in load_errors
        )
    assert f"{len(ODD_VALUES) + 1} articles checked: {len(ODD_VALUES)} errors" in result.out


def test_a_folder_with_hostile_articles_still_builds_the_good_ones(tmp_path: Path) -> None:
    folder, out = tmp_path / "articles", tmp_path / "out"
    folder.mkdir()
    for name in ("good-a.md", "good-b.md"):
        shutil.copy(EXAMPLE, folder / name)
    liquid = folder / "liquid.md"
    liquid.write_text("---\ntitle: Liquid\n---\n" + "{%" * 200_000 + "\n", encoding="utf-8")
    huge = sparse_article(folder)
    odd = [odd_article(folder, name) for name in ("future.md", "zz.md")]
    command = [sys.executable, "tests/measured_build.py", "build", str(folder), "-o", str(out)]
    done = subprocess.run(
        [*command, "--timeout", "10", "-j", "2"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,  # a hang guard, not a measure of speed
    )
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert done.returncode == 1
    assert (out / "good-a.pdf").is_file() and (out / "good-b.pdf").is_file()
    assert f"error: {huge}: is larger than 2 MB" in errors
    for path in odd:
        assert any(line.startswith(f"error: {path}: '") for line in errors)
    assert (out / "liquid.pdf").is_file() or any(str(liquid) in line for line in errors)
    assert "Traceback" not in done.stderr and "unexpected failure" not in done.stderr
    peak_kib = int(done.stderr.splitlines()[-1].split()[-1])
    assert peak_kib < 1024 * 1024, "the huge article was read into memory"
