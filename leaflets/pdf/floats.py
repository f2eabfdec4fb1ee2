"""No page ends on a blank stretch because the next picture did not fit below its text.

A picture is kept whole, so one that does not fit at a page's foot goes to the next page and
leaves the foot blank: the page looks as if the leaflet ended there. As a typesetter floats a
figure, the picture is then moved among the plain paragraphs of its section: below as many of
those that follow it as fill the blank or, when none follows, above as many of those before it
as make room for it on the page. A paragraph with a class of its own (the lead-in to a table)
stays with what it introduces, and a picture shown twice is not moved.
"""

from __future__ import annotations

import html as markup
import re
from dataclasses import dataclass
from typing import Any

from leaflets.pdf.engine import content_height, leaves, root_box

# A page whose foot is blank over more than this share of its height looks unfinished.
BLANK_FOOT = 0.15
HEADINGS = ("h2", "h3", "h4")
# A plain paragraph without a picture. The HTML is the sanitiser's (html/markup.py): no
# attribute holds a raw '<', so each match ends at its own '</p>', in linear time.
_PARAGRAPH = re.compile(r"<p>(?:(?!<img\b|</p>).)*</p>\s*", re.DOTALL)


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


def blank_feet(document: Any) -> float:
    """The blank left at the feet of the pages (but the last) that look unfinished."""
    blanks = [blank_foot(page._page_box) for page in document.pages[:-1]]
    return sum(
        blank
        for blank, page in zip(blanks, document.pages, strict=False)
        if blank > BLANK_FOOT * float(page._page_box.height)
    )


def blank_foot(page_box: Any) -> float:
    """How much of the page's content area is left below its lowest line or picture."""
    return float(page_box.height) - content_height(page_box)


def picture_move(before: Any, after: Any, blank: float) -> Move | None:
    """How to move the picture that the page `after` opens with (under a heading, at most),
    so that text fills the `blank` at the foot of `before`; none: None."""
    picture = opening_picture(after)
    found = paragraph_of(root_box(after), picture) if picture is not None else None
    if picture is None or found is None:
        return None
    src = picture.element.get("src")
    holder, parent = found
    following = plain_paragraphs(parent.children[parent.children.index(holder) + 1 :])
    if following:
        return Move(src, down=filled(following, blank))
    earlier = same_element(root_box(before), parent)
    preceding = plain_paragraphs(reversed(earlier.children)) if earlier is not None else []
    room_wanted = float(holder.margin_height()) - blank
    if preceding and sum(preceding) >= room_wanted:
        return Move(src, up=filled(preceding, room_wanted))
    return None


def opening_picture(page_box: Any) -> Any | None:
    """The picture at the top of the page, below nothing but a heading; none: None."""
    for leaf in sorted(leaves(root_box(page_box)), key=lambda leaf: float(leaf.position_y)):
        if leaf.element_tag == "img":
            return leaf if leaf.element.get("src") else None
        if leaf.element_tag not in HEADINGS:
            return None
    return None


def paragraph_of(box: Any, picture: Any) -> tuple[Any, Any] | None:
    """The plain paragraph box that holds `picture`, and the box it is in; a picture
    elsewhere: None."""
    holder = next((child for child in box.children if contains(child, picture)), None)
    if holder is None:
        return None
    if holder.element_tag == "p":
        return (holder, box) if is_plain(holder) else None
    return paragraph_of(holder, picture)


def same_element(root: Any, box: Any) -> Any | None:
    """The part, on the page of `root`, of the element whose part on a later page is `box`;
    none there: None. (An element's own box comes before the anonymous boxes that share its
    element.)"""
    return next((part for part in root.descendants() if part.element is box.element), None)


def plain_paragraphs(boxes: Any) -> list[float]:
    """The heights of the plain paragraphs of text that `boxes` start with."""
    heights = []
    for box in boxes:
        if (
            box.element_tag != "p"
            or not is_plain(box)
            or any(leaf.element_tag == "img" for leaf in leaves(box))
        ):
            break
        heights.append(float(box.margin_height()))
    return heights


def is_plain(box: Any) -> bool:
    """Whether `box` is a paragraph with no attribute of its own (a lead-in has a class)."""
    return not box.element.attrib


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
        src = re.escape(markup.escape(move.src))
        pictures = list(re.finditer(rf"<p>\s*<img\b[^>]*\bsrc=\"{src}\"[^>]*>\s*</p>\s*", html))
        if len(pictures) != 1:  # not there, or shown twice: which one is unclear
            continue
        if move.down:
            html = moved_down(html, pictures[0], move.down)
        else:
            html = moved_up(html, pictures[0], move.up)
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


def contains(box: Any, leaf: Any) -> bool:
    """Whether `leaf` is within `box` (and not `box` itself)."""
    return box is not leaf and any(inner is leaf for inner in box.descendants())
