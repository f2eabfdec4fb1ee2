"""The wheel carries the templates, styles, fonts and labels: an installed copy builds anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pdfplumber

from .conftest import EXAMPLE, PROJECT_ROOT


def test_an_installed_wheel_builds_the_example_from_another_folder(tmp_path: Path) -> None:
    wheels, installed, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "desk"
    elsewhere.mkdir()
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels, PROJECT_ROOT],
        check=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("leaflets-*.whl")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            installed,
            wheel,
        ],
        check=True,
        timeout=300,
    )
    article = elsewhere / "article.md"
    article.write_bytes(EXAMPLE.read_bytes())
    # The installed package comes first on the path, so the checkout is not what runs.
    env = {**os.environ, "PYTHONPATH": str(installed)}
    run = subprocess.run(
        [installed / "bin" / "make-leaflet", "build", "article.md", "-o", "x.pdf"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    where = subprocess.run(
        [sys.executable, "-c", "import leaflets; print(leaflets.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(installed))
    with pdfplumber.open(elsewhere / "x.pdf") as pdf:
        text = pdf.pages[0].extract_text()
        fonts = {char["fontname"] for char in pdf.pages[0].chars}
    assert "Bækkensmerter" in text
    assert any("Atkinson" in font for font in fonts), fonts
