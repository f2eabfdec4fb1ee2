"""Where the tests' own files are: fixtures, golden HTML, reference images, attack articles."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).parent
