"""Front matter as parsed: control characters out of every value, a lone surrogate refused."""

from __future__ import annotations

import io
from pathlib import Path
from xml.etree import ElementTree

import pikepdf
import pytest

from leaflets.article.front_matter import split_front_matter
from leaflets.config.errors import LeafletError

PATH = Path("artikel.md")


def test_control_characters_leave_every_value_at_any_depth() -> None:
    text = (
        '---\ntitle: "Ryg\\eg"\nkeywords: ["a\\x01b\\x0bc\\x00d"]\n'
        'faq:\n  - question: "Hvad\\x85?"\n    answer: "Dette\\tsvar"\n---\nTekst.\n'
    )
    parsed = split_front_matter(text, PATH)
    assert parsed is not None
    meta, _body = parsed
    assert meta["title"] == "Rygg"
    assert meta["keywords"] == ["abcd"]
    # White space stays: a tab, and the next-line character, which becomes a space on paper.
    assert meta["faq"] == [{"question": "Hvad\x85?", "answer": "Dette\tsvar"}]


@pytest.mark.parametrize("key", ["title", "keywords", "check"])
def test_half_a_surrogate_pair_is_refused_by_its_key(key: str) -> None:
    value = '["\\ud800"]' if key != "title" else '"\\ud800"'
    with pytest.raises(LeafletError) as refused:
        split_front_matter(f"---\n{key}: {value}\n---\nTekst.\n", PATH)
    assert refused.value.message == f"'{key}' holds U+D800, which is not a character"


def test_keywords_with_control_characters_give_well_formed_metadata(
    cli, article, tmp_path: Path
) -> None:
    path = article('---\ntitle: Ctl\nkeywords: ["a\\x01b\\x0bc"]\n---\nTekst.\n')
    target = tmp_path / "ctl.pdf"
    assert cli("build", path, "-o", target, "--pdfa").code == 0
    with pikepdf.open(target) as pdf:
        xmp = pdf.Root.Metadata.read_bytes()
    ElementTree.parse(io.BytesIO(xmp))  # raises on a control character
    assert b"abc" in xmp
