"""Structure rules: empty sections, FAQ answers and repeats, heading levels, images, links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from leaflets.article.assets import AssetRefusedError, is_inside, resolve_image
from leaflets.article.linear import linear
from leaflets.article.structure import _FENCE, headings
from leaflets.checks.context import Context
from leaflets.checks.findings import Finding
from leaflets.config.errors import shorten

_MD_IMAGE = linear(r"!\[([^\[\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
# An image is matched too (group 1 is then "!") and skipped: RE2 has no look-behind.
_MD_LINK = linear(r"(!?)\[[^\[\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_HTML_IMAGE = linear(r"(?i)<img\b[^<>]*>")
_HTML_ALT = linear(r"(?i)\balt\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)")
_HTML_SRC = linear(r"(?i)\bsrc\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)")
# One class, taken whole: linear in `re`, and Unicode-aware as the question keys must be.
_NOT_A_WORD = re.compile(r"\W+")
_PAGE_SUFFIXES = ("", ".md", ".markdown", ".html", "/index.html", "/index.md")


def empty_sections(context: Context) -> Iterator[Finding]:
    """A heading with nothing under it before the next heading of its level or higher."""
    questions = {item.line for item in context.outline.faq_items}
    found = list(headings(context.clean_lines))
    for number, (index, level, text) in enumerate(found):
        following = found[number + 1] if number + 1 < len(found) else None
        end = following[0] if following else len(context.clean_lines)
        if level == 1 and text.casefold() == context.title.casefold():
            continue
        has_text = any(line.strip() for line in context.clean_lines[index + 1 : end])
        has_subsection = following is not None and following[1] > level
        line = context.file_line(index)
        if line in questions and not has_text:
            yield context.finding(line, f"FAQ question '{text}' has no answer", "faq-no-answer")
        elif not has_text and not has_subsection and line not in questions:
            yield context.finding(line, f"section '{text}' is empty", "empty-section")


def front_matter_faq(context: Context) -> Iterator[Finding]:
    """Entries of a front-matter `faq:` list without an answer."""
    for question, answer, line in _listed_questions(context):
        if not answer:
            yield context.finding(line, f"FAQ question '{question}' has no answer", "faq-no-answer")


def repeated_questions(context: Context) -> Iterator[Finding]:
    """The same FAQ question asked twice."""
    seen: dict[str, int] = {}
    asked = [(item.heading, item.line) for item in context.outline.faq_items]
    asked += [(question, line) for question, _answer, line in _listed_questions(context)]
    for question, line in asked:
        key = _NOT_A_WORD.sub(" ", question.casefold()).strip()
        if key in seen:
            yield context.finding(
                line,
                f"FAQ question '{question}' is asked twice (first on line {seen[key]})",
                "faq-duplicate",
            )
        else:
            seen[key] = line


def _listed_questions(context: Context) -> list[tuple[str, str, int]]:
    listed = context.source.meta.get("faq")
    if context.outline.faq is not None or not isinstance(listed, list):
        return []
    found: list[tuple[str, str, int]] = []
    line = 0
    for item in (item for item in listed if isinstance(item, dict)):
        question = str(item.get("question") or "").strip()
        line = _front_line(context, question, after=line)
        found.append((question, str(item.get("answer") or "").strip(), line))
    return found


def _front_line(context: Context, text: str, after: int) -> int:
    """The first front-matter line from `after` on that holds `text`, else from the top."""
    # The questions come in order, so each search goes on from the one before: searching
    # from the top for each would cost questions × lines.
    lines = context.front_lines
    for start in (after, 0):
        found = (n for n, line in enumerate(lines[start:], start + 1) if text and text in line)
        if (number := next(found, None)) is not None:
            return number
    return context.meta_line("faq")


def skipped_levels(context: Context) -> Iterator[Finding]:
    """A heading more than one level below the one before it (the title is level 1)."""
    previous = 1
    for index, level, text in headings(context.clean_lines):
        if level > previous + 1:
            yield context.finding(
                context.file_line(index),
                f"heading '{text}' jumps from level {previous} to {level}"
                f" ({'#' * previous} to {'#' * level})",
                "heading-skip",
            )
        previous = level


def images(context: Context) -> Iterator[Finding]:
    """Images without alt text, and images the build could not print."""
    for index, line in _prose_lines(context):
        for alt, ref in _images_on(line):
            number = context.file_line(index)
            if not alt.strip():
                yield context.finding(
                    number, f"image '{shorten(ref, 60)}' has no alt text", "image-alt"
                )
            if problem := _image_problem(context, ref):
                yield context.finding(
                    number,
                    f"image '{shorten(ref, 60)}' will be left out: {problem}",
                    "image-missing",
                )


def _images_on(line: str) -> Iterator[tuple[str, str]]:
    # Each pattern only where its first characters are: a call into RE2 costs more than a look.
    if "![" in line:
        for match in _MD_IMAGE.finditer(line):
            yield match.group(1), match.group(2)
    if "<" not in line:
        return
    for tag in _HTML_IMAGE.finditer(line):
        alt, src = _HTML_ALT.search(tag.group(0)), _HTML_SRC.search(tag.group(0))
        yield (alt.group(1).strip("\"'") if alt else ""), (src.group(1).strip("\"'") if src else "")


def _image_problem(context: Context, ref: str) -> str | None:
    try:
        resolve_image(ref, context.path.parent, context.roots)
    except AssetRefusedError as refusal:
        return str(refusal)
    return None


def links(context: Context) -> Iterator[Finding]:
    """Links to local files that do not exist, or that lie outside the article's folders."""
    for index, line in _prose_lines(context):
        for match in _MD_LINK.finditer(line) if "](" in line else ():
            if match.group(1):
                continue
            target = _local_target(context, match.group(2))
            problem = _link_problem(context, target) if target is not None else None
            if problem:
                yield context.finding(
                    context.file_line(index),
                    f"link to '{shorten(match.group(2), 60)}': {problem}",
                    "link-missing",
                )


def _link_problem(context: Context, target: Path) -> str | None:
    """Why a local link leads nowhere; a file outside the folders is never looked for."""
    candidates = [Path(f"{target}{suffix}") for suffix in _PAGE_SUFFIXES]
    inside = [path for path in candidates if is_inside(path, context.roots)]
    if not inside:
        # Saying whether /etc/shadow exists would tell a content editor about the machine.
        return "outside the project's folders"
    return None if any(_exists(path) for path in inside) else "no such file"


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):
        return False  # a name too long for the file system names no file


def _local_target(context: Context, ref: str) -> Path | None:
    """The file a link names, or None for web links and site paths we cannot resolve."""
    parts = urlsplit(ref)
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or not path or "{" in ref:
        return None
    if path.startswith("/"):
        root = context.settings.site_root
        return root / path.strip("/") if root is not None else None
    return context.path.parent / path.rstrip("/")


def _prose_lines(context: Context) -> Iterator[tuple[int, str]]:
    in_fence = False
    for index, line in enumerate(context.clean_lines):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence:
            yield index, line


def image_count(context: Context) -> int:
    """How many images the build will print."""
    return sum(
        1
        for _index, line in _prose_lines(context)
        for _alt, ref in _images_on(line)
        if _image_problem(context, ref) is None
    )
