"""Paths, limits and paper sizes that the CLI and the library share."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# An installed wheel carries templates/ and styles/ inside the package and works on the
# clinic's files in the current folder; a checkout keeps them at its top, beside content/.
INSTALLED = (PACKAGE_DIR / "templates").is_dir()
PROJECT_ROOT = Path.cwd() if INSTALLED else PACKAGE_DIR.parent
DATA_ROOT = PACKAGE_DIR if INSTALLED else PROJECT_ROOT
CONTENT_DIR = PROJECT_ROOT / "content"
TEMPLATES_DIR = DATA_ROOT / "templates"
STYLES_DIR = DATA_ROOT / "styles"
# The ready leaflets: output/ beside content/, or the folder LEAFLETS_OUTPUT names (a shared
# drive, say; the test suite's own folder, so that `make test` leaves the clinic's as it was).
OUTPUT_DIR = Path(os.environ.get("LEAFLETS_OUTPUT") or PROJECT_ROOT / "output").absolute()
# Each output folder's list of its leaflets (builder/index.py): no leaflet may take its name.
INDEX_NAME = "index.pdf"
CLINIC_FILE = PROJECT_ROOT / "clinic.toml"
LABELS_DIR = PACKAGE_DIR / "labels"

DEFAULT_LANGUAGE = "da"
ARTICLE_SUFFIXES = (".md", ".markdown")

MAX_ARTICLE_BYTES = 2 * 1024 * 1024
MAX_FRONT_MATTER_BYTES = 64 * 1024
MAX_YAML_ALIASES = 16
MAX_NESTING = 40

MAX_ASSET_BYTES = 8 * 1024 * 1024
# Files hashed for incremental builds (templates, fonts, PDFs) are checked by size before
# they are read; a larger one counts as changed.
MAX_HASHED_BYTES = 256 * 1024 * 1024
# A full A4 page at 300 dpi is 8.7 megapixels; anything far beyond is a mistake or an attack.
MAX_IMAGE_PIXELS = 40_000_000
ASSET_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".css", ".woff", ".woff2", ".ttf", ".otf"}
)

# Sentences, list items and sections that send the reader to another website: by default the
# directory the shipped articles come from. A clinic sets its own in [cleanup] of clinic.toml.
DEFAULT_ADVERT_PATTERNS = ("(?i)fysfinder",)
DEFAULT_ADVERT_SECTIONS = ("(?i)fysfinder",)
# A clinic's patterns run on every line of every article: short, few, and matched by RE2.
MAX_PATTERN_LENGTH = 200
MAX_PATTERNS = 50

RENDER_TIMEOUT_SECONDS = 60
RENDER_MEMORY_BYTES = 1024 * 1024 * 1024


def shown(path: Path) -> Path:
    """`path` relative to the working folder when it lies inside it, for shorter messages."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
