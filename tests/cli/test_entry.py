"""`python3 make_leaflet.py` outside the virtual environment says what to run instead."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from leaflets.config.defaults import PROJECT_ROOT

HINT_END = "run `make` once, then use .venv/bin/make-leaflet (or .venv/bin/python make_leaflet.py)"


def system_python(*args: str, path: Path | None = None) -> subprocess.CompletedProcess[str]:
    python = shutil.which("python3", path="/usr/bin:/bin")
    if python is None:
        pytest.skip("this machine has no system python3")
    environment = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    if path is not None:
        environment["PYTHONPATH"] = str(path)
    return subprocess.run(
        [python, str(PROJECT_ROOT / "make_leaflet.py"), *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=PROJECT_ROOT,
        timeout=60,
    )


def test_a_system_python_without_the_tool_gets_the_hint() -> None:
    done = system_python("build")
    assert done.returncode == 1
    assert done.stderr.strip().endswith(HINT_END)
    assert "Traceback" not in done.stderr


def test_any_missing_requirement_gets_the_hint_not_a_failure_later(tmp_path: Path) -> None:
    # The tool's metadata as an installed copy has it, with one requirement this Python lacks
    # (as a system Python with click but without google-re2 would).
    info = tmp_path / "leaflets-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: leaflets\nVersion: 0.1.0\n"
        "Requires-Dist: no-such-package-for-leaflets>=1\n"
        "Requires-Dist: pytest>=8; extra == 'test'\n",
        encoding="utf-8",
    )
    done = system_python("build", path=tmp_path)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"error: this Python lacks no-such-package-for-leaflets, which leaflets needs; {HINT_END}"
    )
