"""An article's YAML front matter, parsed safely: no tags, no anchors on lists or mappings, few
aliases, and every problem named with its line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from leaflets.config.defaults import MAX_FRONT_MATTER_BYTES, MAX_YAML_ALIASES
from leaflets.config.errors import LeafletError


class _NoAliasSafeLoader(yaml.SafeLoader):
    """Safe YAML without explicit tags, and with aliases only as a few copies of one value.

    Jekyll front matter writes `title: &title ...` and `caption: *title`, so an anchor on a
    plain value is accepted; anchors on lists or mappings (the billion-laughs shape) are not.
    """

    aliases_seen = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            self.aliases_seen += 1
            if self.aliases_seen > MAX_YAML_ALIASES:
                raise _refusal(f"more than {MAX_YAML_ALIASES} YAML aliases (*name)", event)
        elif event.anchor is not None and not isinstance(event, yaml.ScalarEvent):
            raise _refusal("YAML anchors (&name) on lists or mappings are not allowed", event)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!"):
            # A CMS never writes tags; each one hands a value to a constructor of its choice.
            raise _refusal(f"YAML tags ({tag}) are not allowed", event)
        return super().compose_node(parent, index)


# The split front matter keeps the newline after the opening "---", so its line 0 is line 1.
FRONT_MATTER_FIRST_LINE = 1
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]{0,40}):[ \t]")
_DATE_LINE = re.compile(
    r"^([A-Za-z_][\w-]{0,40}):[ \t]*['\"]?(\d{4})-(\d{1,2})-(\d{1,2})['\"]?[ \t]*$"
)


def _refusal(problem: str, event: Any) -> yaml.YAMLError:
    return yaml.constructor.ConstructorError(None, None, problem, event.start_mark)


class _SafeYAMLHandler(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=_NoAliasSafeLoader)


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str] | None:
    """The front matter's keys and the body after it; None when the text has no front matter."""
    handler = _SafeYAMLHandler()
    if not handler.detect(text):
        return None
    front, body = _split(handler, text, path)
    return _parse_yaml(handler, front, path), body


def _split(handler: YAMLHandler, text: str, path: Path) -> tuple[str, str]:
    try:
        front, body = handler.split(text)
    except ValueError:
        raise LeafletError(path, "front matter is not closed (no second '---' line)") from None
    if len(front.encode()) > MAX_FRONT_MATTER_BYTES:
        raise LeafletError(path, f"front matter is larger than {MAX_FRONT_MATTER_BYTES} bytes")
    return str(front), str(body)


def _parse_yaml(handler: YAMLHandler, front: str, path: Path) -> dict[str, Any]:
    try:
        meta = handler.load(front)
    except yaml.YAMLError as exc:
        problem = _yaml_problem(exc, front)
        raise LeafletError(path, f"front matter is not valid YAML: {problem}") from None
    except RecursionError:
        raise LeafletError(path, "front matter is nested too deeply") from None
    except ValueError as exc:
        # PyYAML checks dates itself: `date: 2025-02-31` fails while the value is built.
        raise LeafletError(path, _impossible_value(front, exc)) from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        kind = type(meta).__name__
        raise LeafletError(path, f"front matter must be a mapping of keys, not a {kind}")
    try:
        return {
            _plain(name, str(name), path): _plain(value, str(name), path)
            for name, value in meta.items()
        }
    except RecursionError:
        raise LeafletError(path, "front matter is nested too deeply") from None


# A YAML escape can put any code point in a value. Control characters other than white space
# print as an empty box, act on a terminal and break the PDF's XML metadata: they go. Half of a
# surrogate pair is no character at all, and no text can be written with it: it is refused.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _plain(value: Any, key: str, path: Path) -> Any:
    """`value` with the control characters taken out of its text, at any depth."""
    if isinstance(value, str):
        if found := _SURROGATE.search(value):
            code = f"U+{ord(found.group()):04X}"
            raise LeafletError(path, f"'{key}' holds {code}, which is not a character")
        return _CONTROL.sub("", value)
    if isinstance(value, list):
        return [_plain(item, key, path) for item in value]
    if isinstance(value, dict):
        return {_plain(name, key, path): _plain(item, key, path) for name, item in value.items()}
    return value


def _yaml_problem(exc: yaml.YAMLError, front: str) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return str(problem)
    where = f"{problem} (line {mark.line + FRONT_MATTER_FIRST_LINE})"
    lines = front.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    if problem == "mapping values are not allowed here" and (key := _KEY_LINE.match(line)):
        value = line[key.end() :].strip().replace('"', '\\"')
        return f'{where}; a value with a colon needs quotes: {key.group(1)}: "{value}"'
    return where


def _impossible_value(front: str, exc: ValueError) -> str:
    """Which key holds a date that cannot be, and on which line of the file."""
    for number, line in enumerate(front.splitlines()):
        found = _DATE_LINE.match(line)
        if found and not _possible_date(*(int(part) for part in found.group(2, 3, 4))):
            day = found.group(2, 3, 4)
            line_number = number + FRONT_MATTER_FIRST_LINE
            return (
                f"'{found.group(1)}' (line {line_number}): {'-'.join(day)} is not a possible date"
            )
    return f"front matter has an impossible value: {exc}"


def _possible_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True
