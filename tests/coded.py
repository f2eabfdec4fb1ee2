"""The example, its English translation and three corpus articles, with diagnosis codes added.

Copies only: the example in content/ and the shared corpus are never changed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from leaflets.config.defaults import PROJECT_ROOT

from .conftest import EXAMPLE

TRANSLATION = PROJECT_ROOT / "tests" / "fixtures" / "translations" / "baekkensmerter.en.md"
CORPUS_ARTICLES = "davidbograd+fysfinder-next"

CODES: dict[str, list[tuple[str, str]]] = {
    "baekkensmerter.md": [("icpc2", "L03"), ("sks", "DM545")],
    "laendehold.md": [("icpc2", "L03"), ("sks", "DM545"), ("snomed", "279039007")],
    "knae.md": [("icpc2", "L15"), ("sks", "DM255"), ("snomed", "30989003")],
    "skuldersmerter.md": [("icpc2", "L08"), ("icd10", "M75.1"), ("snomed", "45326000")],
}


def with_codes(text: str, codes: list[tuple[str, str]]) -> str:
    """The article with a `codes:` list at the top of its front matter."""
    lines = "".join(f"  - {{system: {system}, code: {code}}}\n" for system, code in codes)
    assert text.startswith("---\n")
    return f"---\ncodes:\n{lines}" + text[len("---\n") :]


def coded_content(folder: Path, corpus: Path | None = None) -> Path:
    """`folder/content` with the coded example and its translation, and the corpus's three."""
    content = folder / "content"
    content.mkdir(parents=True, exist_ok=True)
    sources = {"baekkensmerter.md": EXAMPLE}
    if corpus is not None:
        for name in ("laendehold.md", "knae.md", "skuldersmerter.md"):
            sources[name] = corpus / CORPUS_ARTICLES / name
    for name, source in sources.items():
        text = source.read_text(encoding="utf-8")
        (content / name).write_text(with_codes(text, CODES[name]), encoding="utf-8")
    shutil.copy(TRANSLATION, content / "baekkensmerter.en.md")
    return content
