"""The default theme in black and white: contrast of every text colour, in colour and in grey."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
import tinycss2
import tinycss2.color3

from leaflets.config.defaults import CLINIC_FILE, STYLES_DIR
from leaflets.config.profile import load_profile

Colour = tuple[float, float, float]
WHITE: Colour = (1.0, 1.0, 1.0)


def declarations(rules: list[object], selector: str = "") -> Iterator[tuple[str, str, str]]:
    """(selector, property, value) for every declaration, inside @page and margin boxes too."""
    for rule in rules:
        if isinstance(rule, tinycss2.ast.QualifiedRule):
            inner = tinycss2.parse_blocks_contents(rule.content, True, True)
            yield from declarations(inner, tinycss2.serialize(rule.prelude).strip())
        elif isinstance(rule, tinycss2.ast.AtRule) and rule.content is not None:
            inner = tinycss2.parse_blocks_contents(rule.content, True, True)
            yield from declarations(inner, f"@{rule.lower_at_keyword}")
        elif isinstance(rule, tinycss2.ast.Declaration):
            yield selector, rule.lower_name, tinycss2.serialize(rule.value).strip()


def stylesheet_declarations() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(STYLES_DIR.glob("*.css")):
        rules = tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), True, True)
        found += declarations(rules)
    return found


def colour(value: str, variables: dict[str, str]) -> Colour | None:
    """The colour a CSS value paints with, if it is a single colour."""
    for name, replacement in variables.items():
        value = value.replace(f"var({name})", replacement)
    tokens = [
        token for token in tinycss2.parse_component_value_list(value) if token.type != "whitespace"
    ]
    parsed = tinycss2.color3.parse_color(tokens[0]) if len(tokens) == 1 else None
    if parsed is None or isinstance(parsed, str):
        return None
    return parsed.red, parsed.green, parsed.blue


def luminance(rgb: Colour) -> float:
    """WCAG 2 relative luminance."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: Colour, second: Colour) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def grey(rgb: Colour) -> Colour:
    """The grey a printer driver makes of a colour (ITU-R BT.601 luma)."""
    level = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]
    return level, level, level


BAND_PAINT = ("color", "background", "background-color")


def theme() -> tuple[dict[str, str], list[Colour], list[Colour], list[tuple[Colour, Colour]]]:
    """Variables, text colours, light backgrounds, and (text, background) pairs of the band."""
    found = stylesheet_declarations()
    variables = {name: value for selector, name, value in found if name.startswith("--")}
    texts: list[Colour] = []
    grounds: list[Colour] = [WHITE]
    band: dict[str, list[Colour]] = {}
    for selector, name, value in found:
        paint = colour(value, variables)
        if paint is None:
            continue
        if selector == ".masthead .logo":
            continue  # the white tile behind the logo carries no text
        if selector.startswith((".band", ".masthead")) and name in BAND_PAINT:
            key = "color" if name == "color" else "background"
            band.setdefault(key, []).append(paint)
        elif name == "color":
            texts.append(paint)
        elif name in ("background", "background-color"):
            grounds.append(paint)
    band_pairs = [(text, ground) for text in band["color"] for ground in band["background"]]
    return variables, texts, grounds, band_pairs


def test_the_theme_declares_the_colours_we_check() -> None:
    _variables, texts, grounds, band = theme()
    assert len(texts) >= 4 and len(grounds) >= 2
    assert band[0][0] != band[0][1]


@pytest.mark.parametrize("convert", [lambda rgb: rgb, grey], ids=["colour", "grey"])
def test_every_text_colour_has_contrast_of_4_5_or_more(convert: object) -> None:
    assert callable(convert)
    _variables, texts, grounds, band = theme()
    for text in texts:
        for ground in grounds:
            assert contrast(convert(text), convert(ground)) >= 4.5, (text, ground)
    for text, ground in band:
        assert contrast(convert(text), convert(ground)) >= 4.5, (text, ground)


def clinic_colour() -> Colour:
    """The shipped clinic profile's colour, which replaces the default primary colour."""
    parsed = colour(load_profile(CLINIC_FILE).style.primary_color, {})
    assert parsed is not None
    return parsed


def test_the_clinic_colour_reads_on_every_light_ground() -> None:
    _variables, _texts, grounds, _band = theme()
    for ground in grounds:
        assert contrast(clinic_colour(), ground) >= 4.5
        assert contrast(grey(clinic_colour()), grey(ground)) >= 4.5


def test_the_pdf_uses_only_the_colours_checked(example_pdf: Path) -> None:
    _variables, texts, _grounds, band = theme()
    checked = {tuple(round(c, 2) for c in rgb) for rgb in [*texts, band[0][0], clinic_colour()]}
    with pdfplumber.open(example_pdf) as pdf:
        used = {
            tuple(round(float(c), 2) for c in char["non_stroking_color"])
            for page in pdf.pages
            for char in page.chars
        }
    assert used <= checked


def test_no_information_is_carried_by_colour_alone(example_pdf: Path) -> None:
    found = stylesheet_declarations()
    link = {name: value for selector, name, value in found if selector == "a"}
    # On paper a link is its words: no colour of its own, which would mean nothing there.
    assert link["color"] == "inherit" and link["text-decoration"] == "none"
    with pdfplumber.open(example_pdf) as pdf:
        chars = [char for page in pdf.pages for char in page.chars if char["text"].strip()]
        step = str(pdf.metadata.get("LeafletDensity", "0"))
    body_size = statistics.mode(round(char["size"], 1) for char in chars)
    body = [char for char in chars if round(char["size"], 1) == body_size]
    # Up to density step 1 the introduction is set at 13.5 pt, in regular weight; from step 3
    # a heading is.
    sizes = {13.0, 14.0, 15.0} if step in ("0", "1", "off") else {13.0, 13.5, 14.0, 15.0}
    headings = [char for char in chars if round(char["size"], 1) in sizes]
    headings += [char for char in chars if round(char["size"], 1) >= 22]
    # Headings and questions stand out by weight and size, not only by their colour.
    # The article's own text is regular: bold marks only headings, the contact panel's labels
    # and the page furniture, never a sentence of the article.
    bold = "".join(char["text"] for char in body if "Bold" in char["fontname"])
    for sentence in ("Bækkensmerterrefererertilsmerter", "Fysioterapiereneffektiv"):
        assert sentence not in bold
    assert headings and all("Bold" in char["fontname"] for char in headings)
