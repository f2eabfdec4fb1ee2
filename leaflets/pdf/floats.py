"""No page ends on a blank stretch because the next picture did not fit below its text.

A picture is kept whole, so one that does not fit at a page's foot goes to the next page and
leaves the foot blank: the page looks as if the leaflet ended there. As a typesetter floats a
figure, the picture is then moved among the paragraphs of its section: below as many of those
that follow it as fill the blank or, when none follows, above as many of those before it as
make room for it on the page.
"""

from __future__ import annotations

import html as markup
import re
from dataclasses import dataclass
from typing import Any

from leaflets.pdf.engine import root_box

# A page whose foot is blank over more than this share of its height looks unfinished.
BLANK_FOOT = 0.15
HEADINGS = ("h2", "h3", "h4")
_PARAGRAPH = re.compile(r"<p\b[^>]*>(?:(?!<img\b|</p>).)*</p>\s*", re.DOTALL)


@dataclass(frozen=True)
class Move:
    """A picture, by its address: set below the `down` paragraphs after it, or above the
    `up` paragraphs before it."""

    src: str
    down: int = 0
    up: int = 0


def pictures_after_blank_feet(document: Any) -> list[Move]:
    """For each page (but the last) with a blank foot before a page that opens with a
    picture: how to move that picture so that text fills the blank."""
    moves = []
    for before, after in zip(document.pages, document.pages[1:], strict=False):
        blank = blank_foot(before._page_box)
        if blank > BLANK_FOOT * float(before._page_box.height):
            move = picture_move(before._page_box, after._page_box, blank)
            if move is not None:
                moves.append(move)
    return moves


def blank_foot(page_box: Any) -> float:
    """How much of the page's content area is left below its lowest line or picture."""
    top = float(page_box.content_box_y())
    bottom = max([top, *(lowest(leaf) for leaf in leaves_of(root_box(page_box)))])
    return top + float(page_box.height) - bottom


def picture_move(before: Any, after: Any, blank: float) -> Move | None:
    """How to move the picture that the page `after` opens with (under a heading, at most),
    so that text fills the `blank` at the foot of `before`; none: None."""
    picture = opening_picture(after)
    if picture is None:
        return None
    src = picture.element.get("src")
    found = paragraph_of(root_box(after), picture)
    if found is None:
        return None
    holder, beside = found
    following = text_paragraphs(beside[beside.index(holder) + 1 :])
    if following:
        return Move(src, down=filled(following, blank))
    preceding = text_paragraphs(reversed(section_before(root_box(before), holder.element)))
    room_wanted = float(holder.margin_height()) - blank
    if preceding and sum(preceding) >= room_wanted:
        return Move(src, up=filled(preceding, room_wanted))
    return None


def opening_picture(page_box: Any) -> Any | None:
    """The picture at the top of the page, below nothing but a heading; none: None."""
    for leaf in sorted(leaves_of(root_box(page_box)), key=lambda leaf: float(leaf.position_y)):
        if leaf.element_tag == "img":
            return leaf if leaf.element.get("src") else None
        if leaf.element_tag not in HEADINGS:
            return None
    return None


def paragraph_of(box: Any, picture: Any) -> tuple[Any, list[Any]] | None:
    """The paragraph box that holds `picture`, and the boxes beside it (itself among them);
    a picture outside a paragraph: None."""
    holder = next((child for child in box.children if contains(child, picture)), None)
    if holder is None:
        return None
    if holder.element_tag == "p":
        return holder, list(box.children)
    return paragraph_of(holder, picture)


def section_before(root: Any, element: Any) -> list[Any]:
    """The boxes on this page of the section that `element` belongs to (it is on a later
    page); none: []."""
    for box in root.descendants():
        if box.element is not None and any(child is element for child in box.element):
            return list(box.children)
    return []


def text_paragraphs(boxes: Any) -> list[float]:
    """The heights of the paragraphs of text that `boxes` start with."""
    heights = []
    for box in boxes:
        if box.element_tag != "p" or any(leaf.element_tag == "img" for leaf in leaves_of(box)):
            break
        heights.append(float(box.margin_height()))
    return heights


def filled(heights: list[float], wanted: float) -> int:
    """How many of `heights`, from the first, take up `wanted`; all, when they do not."""
    total = 0.0
    for count, height in enumerate(heights, start=1):
        total += height
        if total >= wanted:
            return count
    return len(heights)


def moved(html: str, moves: list[Move]) -> str:
    """`html` with each picture of `moves` set among the paragraphs beside it."""
    for move in moves:
        picture = re.search(
            rf"<p>\s*<img\b[^>]*\bsrc=\"{re.escape(markup.escape(move.src))}\"[^>]*>\s*</p>\s*",
            html,
        )
        if picture is None:
            continue
        if move.down:
            html = moved_down(html, picture, move.down)
        else:
            html = moved_up(html, picture, move.up)
    return html


def moved_down(html: str, picture: re.Match[str], count: int) -> str:
    """`html` with `picture` set after the `count` paragraphs that follow it."""
    end = picture.end()
    for _paragraph in range(count):
        following = _PARAGRAPH.match(html, end)
        if following is None:
            return html
        end = following.end()
    return html[: picture.start()] + html[picture.end() : end] + picture.group(0) + html[end:]


def moved_up(html: str, picture: re.Match[str], count: int) -> str:
    """`html` with `picture` set before the `count` paragraphs that precede it."""
    paragraphs = list(_PARAGRAPH.finditer(html, 0, picture.start()))
    start = picture.start()
    for _paragraph in range(count):
        before = next((found for found in reversed(paragraphs) if found.end() == start), None)
        if before is None:
            return html
        start = before.start()
    return html[:start] + picture.group(0) + html[start : picture.start()] + html[picture.end() :]


def leaves_of(box: Any) -> list[Any]:
    """The lines and pictures within `box`."""
    from weasyprint.formatting_structure import boxes

    kinds = (boxes.LineBox, boxes.ReplacedBox)
    return [leaf for leaf in box.descendants() if isinstance(leaf, kinds)]


def lowest(leaf: Any) -> float:
    """Where the line or picture ends, down the page."""
    return float(leaf.position_y + leaf.margin_height())


def contains(box: Any, leaf: Any) -> bool:
    """Whether `leaf` is within `box` (and not `box` itself)."""
    return box is not leaf and any(inner is leaf for inner in box.descendants())
