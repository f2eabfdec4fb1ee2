"""The declared shape of clinic.toml, and the check that lists every way a file departs from it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import re2

from leaflets.config.addresses import address_problem
from leaflets.config.defaults import MAX_PATTERN_LENGTH, MAX_PATTERNS
from leaflets.config.errors import shorten
from leaflets.config.labels import available_languages
from leaflets.config.options import PAPER_FORMATS
from leaflets.config.smtp import PORT_RANGE, SMTP_SECURITY, TIMEOUT_RANGE, subject_problem
from leaflets.config.urls import UrlRefusedError, check_web_url

# A check gets the value and the folder of clinic.toml; it returns a problem or None.
Check = Callable[[Any, Path], str | None]

_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
_PREFIX = re.compile(r"^[A-Za-z0-9]{0,12}$")
LOGO_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
MAX_CLINIC_NAME = 120  # on every page of every leaflet, in every subject


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_text_by_language(value: Any) -> bool:
    if isinstance(value, dict):
        return all(isinstance(key, str) and isinstance(item, str) for key, item in value.items())
    return isinstance(value, str)


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


# What each kind of value is called in messages, and how to recognise it.
KINDS: dict[str, Callable[[Any], bool]] = {
    "text": _is_text,
    "a whole number": _is_whole,
    "a number": _is_number,
    "true or false": _is_bool,
    "a list of texts": _is_text_list,
    "text, or a table of texts by language": _is_text_by_language,
}


@dataclass(frozen=True)
class Field:
    """One key: its kind, whether it must be there, and the checks its value must pass."""

    kind: str = "text"
    checks: tuple[Check, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Table:
    """One [table]: its known keys; an open table also keeps keys it does not know."""

    fields: dict[str, Field]
    open: bool = False


def not_empty(value: Any, _base: Path) -> str | None:
    """Text with something in it."""
    return None if str(value).strip() else "must not be empty"


def http_url(value: Any, _base: Path) -> str | None:
    """An absolute http(s) address, or nothing."""
    if value == "":
        return None
    try:
        check_web_url(value)
    except UrlRefusedError as refusal:
        return f"must be an http(s) address such as https://example.dk/ ({refusal}): '{value}'"
    return None


def email_address(value: Any, _base: Path) -> str | None:
    """A plain name@domain.tld, or nothing."""
    problem = address_problem(value) if value else None
    return f"is not an email address ({problem}): '{value}'" if problem else None


def named_email_address(value: Any, _base: Path) -> str | None:
    """An address, optionally with a name: `Name <name@domain.tld>`, or nothing."""
    problem = address_problem(value.strip(), display_name=True) if value.strip() else None
    return f"is not an email address ({problem}): '{value}'" if problem else None


def subject_template(value: Any, _base: Path) -> str | None:
    """A subject line with only the placeholders {title} and {clinic}."""
    return subject_problem(value)


def hex_colour(value: Any, _base: Path) -> str | None:
    """A CSS hex colour, #rgb or #rrggbb."""
    return None if _HEX_COLOUR.match(value) else f"must be a hex colour like #1f4e5f, not '{value}'"


def known_language(value: Any, _base: Path) -> str | None:
    """A language that has a label file."""
    languages = available_languages()
    if value.split("-")[0].lower() in languages:
        return None
    return f"has no label file for '{value}' (available: {', '.join(languages)})"


def plain_prefix(value: Any, _base: Path) -> str | None:
    """Letters and digits only, so that references read cleanly (FYS-012)."""
    return None if _PREFIX.match(value) else f"must be up to 12 letters or digits, not '{value}'"


def never_here(_value: Any, _base: Path) -> str | None:
    """A secret that must not be written in the profile."""
    return "must not be in the file; set LEAFLET_SMTP_PASSWORD in the environment instead"


def text_patterns(value: Any, _base: Path) -> str | None:
    """A few short patterns in RE2 syntax, which matches in time linear in the text."""
    if len(value) > MAX_PATTERNS:
        return f"must be at most {MAX_PATTERNS} patterns, not {len(value)}"
    return next(filter(None, map(pattern_problem, value)), None)


def pattern_problem(pattern: str) -> str | None:
    """What keeps `pattern` from being used on article text, or None."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return f"'{shorten(pattern, 40)}' is longer than {MAX_PATTERN_LENGTH} characters"
    options = re2.Options()
    options.log_errors = False
    try:
        re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode() if isinstance(exc.args[0], bytes) else str(exc.args[0])
        return f"'{shorten(pattern, 40)}' is not a pattern RE2 can use ({reason})"
    return None


def at_most(length: int) -> Check:
    """Text of at most `length` characters: it is shown on every leaflet, subject and page."""

    def check(value: Any, _base: Path) -> str | None:
        text = str(value)
        return (
            None if len(text) <= length else f"must be at most {length} characters, not {len(text)}"
        )

    return check


def between(low: float, high: float) -> Check:
    """A number from `low` to `high`."""

    def check(value: Any, _base: Path) -> str | None:
        return None if low <= value <= high else f"must be from {low:g} to {high:g}, not {value}"

    return check


def one_of(choices: tuple[str, ...]) -> Check:
    """One of a few words."""

    def check(value: Any, _base: Path) -> str | None:
        return None if value in choices else f"must be one of {', '.join(choices)}, not '{value}'"

    return check


def existing_file(suffixes: tuple[str, ...]) -> Check:
    """A file of one of these kinds, relative to clinic.toml, or nothing."""

    def check(value: Any, base: Path) -> str | None:
        if value == "":
            return None
        if Path(value).suffix.lower() not in suffixes:
            return f"must be a {' or '.join(s[1:].upper() for s in suffixes)} file: '{value}'"
        return None if (base / value).is_file() else f"no such file: '{value}'"

    return check


def existing_folder(value: Any, base: Path) -> str | None:
    """A folder relative to clinic.toml, or nothing."""
    return None if value == "" or (base / value).is_dir() else f"no such folder: '{value}'"


SCHEMA: dict[str, Table] = {
    "clinic": Table(
        {
            "name": Field(checks=(not_empty, at_most(MAX_CLINIC_NAME)), required=True),
            "address": Field(),
            "phone": Field(),
            "email": Field(checks=(email_address,)),
            "website": Field(checks=(http_url,)),
            # One text, or one a language: { da = "Man–fre 8–16", en = "Mon–Fri 8–16" }.
            "opening_hours": Field("text, or a table of texts by language"),
            "logo": Field(checks=(existing_file(LOGO_SUFFIXES),)),
        }
    ),
    "leaflets": Table(
        {
            "language": Field(checks=(known_language,)),
            "review_months": Field("a whole number", (between(1, 36),)),
            "base_url": Field(checks=(http_url,)),
            "site_root": Field(checks=(existing_folder,)),
            "id_prefix": Field(checks=(plain_prefix,)),
        }
    ),
    "style": Table(
        {
            "primary_color": Field(checks=(hex_colour,)),
            "theme": Field(checks=(existing_folder,)),
        }
    ),
    "print": Table(
        {
            "format": Field(checks=(one_of(PAPER_FORMATS),)),
            "fit": Field("true or false"),
            "printer": Field(checks=(not_empty,)),
        }
    ),
    "checks": Table(
        {
            "max_lix": Field("a number", (between(1, 100),)),
            "min_flesch": Field("a number", (between(1, 120),)),
            "max_pages": Field("a whole number", (between(1, 100),)),
            "ignore": Field("a list of texts"),
        },
    ),
    "cleanup": Table(
        {
            "advert_patterns": Field("a list of texts", (text_patterns,)),
            "advert_sections": Field("a list of texts", (text_patterns,)),
        }
    ),
    "smtp": Table(
        {
            "host": Field(checks=(not_empty,)),
            "port": Field("a whole number", (between(*PORT_RANGE),)),
            "security": Field(checks=(one_of(SMTP_SECURITY),)),
            "username": Field(),
            "from": Field(checks=(named_email_address,)),
            "reply_to": Field(checks=(email_address,)),
            "subject": Field(checks=(not_empty, subject_template)),
            "timeout": Field("a number", (between(*TIMEOUT_RANGE),)),
            "ca_file": Field(checks=(existing_file((".pem", ".crt")),)),
            "password": Field(checks=(never_here,)),
        }
    ),
}


def problems_in(data: dict[str, Any], base: Path) -> list[str]:
    """Every departure from SCHEMA, each naming its key; empty when the profile is sound."""
    problems = [
        f"[{name}]: unknown table (known: {', '.join(SCHEMA)})"
        for name in data
        if name not in SCHEMA
    ]
    for name, table in SCHEMA.items():
        problems.extend(_table_problems(name, table, data.get(name, {}), base))
    return problems


def answer_problems(table: str, key: str, value: Any, base: Path) -> list[str]:
    """What is wrong with one value for `[table] key`, as the whole profile's check would say."""
    return _field_problems(SCHEMA[table].fields[key], key, {key: value}, base)


def _table_problems(name: str, table: Table, values: Any, base: Path) -> list[str]:
    if not isinstance(values, dict):
        return [f"{name}: must be a table, written [{name}]"]
    problems: list[str] = []
    if not table.open:
        problems.extend(
            f"{name}.{key}: unknown key (known: {', '.join(table.fields)})"
            for key in values
            if key not in table.fields
        )
    for key, spec in table.fields.items():
        problems.extend(f"{name}.{key}: {p}" for p in _field_problems(spec, key, values, base))
    return problems


def _field_problems(spec: Field, key: str, values: dict[str, Any], base: Path) -> list[str]:
    if key not in values:
        return ["is missing"] if spec.required else []
    value = values[key]
    if not KINDS[spec.kind](value):
        return [f"must be {spec.kind}, not {_describe(value)}"]
    return [problem for check in spec.checks if (problem := check(value, base))]


def _describe(value: Any) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list"}
    name = names.get(type(value), "a table" if isinstance(value, dict) else type(value).__name__)
    return f"{name} ({value!r})" if not isinstance(value, (dict, list)) else name
