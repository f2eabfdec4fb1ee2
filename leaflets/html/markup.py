"""Markdown to HTML, then through an allow-list so that only plain document markup remains."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import nh3

from leaflets.article.assets import AssetRefusedError, AssetRoots, resolve_image
from leaflets.article.linear import TextMatch, linear
from leaflets.config.defaults import MAX_NESTING
from leaflets.config.errors import LeafletError, WarningSink, shorten

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "sub", "sup", "small", "mark",
        "code", "pre", "kbd", "blockquote", "q", "abbr",
        "ul", "ol", "li", "dl", "dt", "dd",
        "h3", "h4", "h5", "h6",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
        "a", "img", "figure", "figcaption",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
}
# Elements whose text is dropped with them, not left behind as stray words.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "title", "object", "embed", "iframe", "svg", "math", "noscript",
     "template", "head", "audio", "video", "canvas", "select", "textarea", "button"}
)  # fmt: skip
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
RISKY_TAGS = DROPPED_WITH_CONTENT | {"link", "base", "meta", "form", "input", "frame", "frameset"}
# Each try is one tag name long: linear in `re`.
_RISKY_TAG = re.compile(r"<(" + "|".join(sorted(RISKY_TAGS)) + r")\b", re.IGNORECASE)
_TAG = linear(r"<[^>]*>")
_VOID = frozenset({"br", "hr", "img", "wbr"})
_IMG = linear(r"<img[^>]*>")
_SRC_ATTRIBUTE = linear(r"\ssrc=")
_MD_EXTENSIONS = ["tables", "sane_lists"]


def markdown_to_html(text: str) -> str:
    """Plain Markdown (with tables) to HTML, not yet safe."""
    return markdown.markdown(text, extensions=_MD_EXTENSIONS, output_format="html")


def sanitize(html: str, article_dir: Path, roots: AssetRoots, report: WarningSink) -> str:
    """Only allow-listed markup, links to the web, and images from allowed folders."""

    def keep_attribute(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src":
            return _image_uri(value, article_dir, roots, report)
        if element == "a" and attribute == "href":
            return _link(value)
        return value

    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=keep_attribute,
        url_schemes=set(LINK_SCHEMES) | {"file"},
        link_rel=None,
        strip_comments=True,
    )
    return _IMG.sub(_without_source, cleaned)


def _without_source(tag: TextMatch) -> str:
    """An image whose source was refused goes; the others stay."""
    return tag.group(0) if _SRC_ATTRIBUTE.search(tag.group(0)) else ""


def render_markdown(
    text: str, article_dir: Path, roots: AssetRoots, report: WarningSink, source: Path | None = None
) -> str:
    """Markdown to safe HTML, nested no deeper than a page can show."""
    try:
        html = markdown_to_html(text)
    except RecursionError:
        raise LeafletError(source, "is nested too deeply to lay out") from None
    report_removed(html, report)
    safe = sanitize(html, article_dir, roots, report)
    if (depth := nesting_depth(safe)) > MAX_NESTING:
        raise LeafletError(
            source, f"quotes or lists are nested {depth} deep; at most {MAX_NESTING} can be printed"
        )
    # When everything in a part was removed, the template must see it as empty, not as <p></p>.
    return safe if _TAG.sub("", safe).strip() or "<img" in safe else ""


def report_removed(html: str, report: WarningSink) -> None:
    """Name the risky raw HTML the sanitiser is about to drop, so the editor knows why."""
    found = sorted({match.lower() for match in _RISKY_TAG.findall(html)})
    if found:
        report("raw HTML removed: " + ", ".join(f"<{name}>" for name in found))


class _DepthGauge(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.deepest = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in _VOID:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.depth -= 1


def nesting_depth(html: str) -> int:
    """How deeply the elements of well-formed (sanitised) HTML nest."""
    gauge = _DepthGauge()
    gauge.feed(html)
    gauge.close()
    return gauge.deepest


def _image_uri(ref: str, article_dir: Path, roots: AssetRoots, report: WarningSink) -> str | None:
    try:
        return resolve_image(ref, article_dir, roots).as_uri()
    except AssetRefusedError as refusal:
        report(f"image '{shorten(ref, 60)}' dropped: {refusal}")
        return None


def _link(href: str) -> str | None:
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    return href if scheme in LINK_SCHEMES else None
