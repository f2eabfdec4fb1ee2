"""Diagnosis codes on a leaflet: the code systems, their identifiers, and each code's shape.

Front matter names the diagnoses a leaflet is written for:

    codes:
      - {system: icpc2, code: L03}
      - {system: sks, code: DM545}

A clinic's journal system names the same systems by OID (HL7 Infobutton) or by URI (FHIR).
Only the shape of a code is checked here; whether it exists is the code system's business.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

MAX_CODES = 50
MAX_CODE_CHARS = 20


@dataclass(frozen=True)
class CodeSystem:
    """One code system: its short name in front matter, its title, OID and FHIR URI."""

    name: str
    title: str
    oid: str
    uri: str
    shape: str  # what a code looks like, for the message about one that does not
    family: str  # codes of one family can match each other (SKS diagnoses are ICD-10)


SYSTEMS: dict[str, CodeSystem] = {
    system.name: system
    for system in (
        CodeSystem(
            "icpc2",
            "ICPC-2",
            "2.16.840.1.113883.6.139",
            "http://hl7.org/fhir/sid/icpc-2",
            "a chapter letter and two digits, e.g. L03",
            "icpc2",
        ),
        CodeSystem(
            "sks",
            "SKS",
            "1.2.208.176.2.4",
            "urn:oid:1.2.208.176.2.4",
            "D and an ICD-10 code without its dot, e.g. DM545",
            "icd10",
        ),
        CodeSystem(
            "icd10",
            "ICD-10",
            "2.16.840.1.113883.6.3",
            "http://hl7.org/fhir/sid/icd-10",
            "a letter, two digits and an optional subdivision after a dot, e.g. M54.5",
            "icd10",
        ),
        CodeSystem(
            "snomed",
            "SNOMED CT",
            "2.16.840.1.113883.6.96",
            "http://snomed.info/sct",
            "6 to 18 digits ending in a Verhoeff check digit, e.g. 279039007",
            "snomed",
        ),
    )
}
BY_OID: dict[str, CodeSystem] = {system.oid: system for system in SYSTEMS.values()}

# ICPC-2's seventeen chapters: A General, B Blood, D Digestive, ... Z Social problems.
_ICPC2 = re.compile(r"[ABDFHKLNPRSTUWXYZ][0-9]{2}")
_ICD10 = re.compile(r"[A-Z][0-9]{2}(?:\.[0-9A-Z]{1,4})?")
_SKS = re.compile(r"D[A-Z][0-9]{2}[0-9A-Z]{0,4}")
_SNOMED = re.compile(r"[1-9][0-9]{5,17}")


@dataclass(frozen=True, order=True)
class Code:
    """One diagnosis code in one system, e.g. icpc2 L03."""

    system: str
    code: str

    @property
    def key(self) -> str:
        """'icpc2:L03', as a leaflet's info keeps it."""
        return f"{self.system}:{self.code}"

    @property
    def coding(self) -> dict[str, str]:
        """The code as a FHIR Coding."""
        return {"system": SYSTEMS[self.system].uri, "code": self.code}


def code_from_key(key: str) -> Code:
    """The code of 'icpc2:L03'."""
    system, _, code = key.partition(":")
    return Code(system, code)


def normal_code(value: object) -> str:
    """A code as written in front matter or a request: trimmed, upper case ('l03' is L03)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return ""
    return str(value).strip().upper()[: MAX_CODE_CHARS + 1]


def code_problem(system: str, code: str) -> str | None:
    """Why `code` is not a code of `system`, or None when its shape is right."""
    known = SYSTEMS.get(system)
    if known is None:
        return f"unknown code system {system!r} (there are: {', '.join(SYSTEMS)})"
    if not code:
        return f"a {known.title} code is missing"
    if len(code) > MAX_CODE_CHARS or not _has_shape(system, code):
        return f"{known.title} code {code!r} is not {known.shape}"
    if system == "snomed" and not verhoeff_valid(code):
        return f"SNOMED CT code {code!r} has a wrong check digit"
    return None


def _has_shape(system: str, code: str) -> bool:
    pattern = {"icpc2": _ICPC2, "icd10": _ICD10, "sks": _SKS, "snomed": _SNOMED}[system]
    return pattern.fullmatch(code) is not None


# Verhoeff's dihedral group D5: the multiplication table, the position permutations, and the
# inverses. A single wrong digit or two neighbours swapped always change the check.
_D5 = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_PERMUTATION = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 5, 7, 6, 2, 8, 3, 0, 9, 4),
    (5, 8, 0, 3, 7, 9, 6, 1, 4, 2),
    (8, 9, 1, 6, 0, 4, 3, 5, 2, 7),
    (9, 4, 5, 3, 1, 2, 6, 8, 7, 0),
    (4, 2, 8, 6, 5, 7, 3, 9, 0, 1),
    (2, 7, 9, 3, 8, 0, 6, 4, 1, 5),
    (7, 0, 4, 6, 9, 1, 3, 2, 5, 8),
)


def verhoeff_valid(digits: str) -> bool:
    """Whether the last digit of `digits` is the Verhoeff check digit of the others."""
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _D5[check][_PERMUTATION[position % 8][int(digit)]]
    return check == 0


@dataclass(frozen=True)
class Entry:
    """One entry of front matter `codes`: the code when it is good, else what is wrong."""

    number: int
    text: str  # the code as written, to find its line
    code: Code | None
    problem: str = ""


def read_entries(listed: object) -> Iterator[Entry]:
    """Each entry of front matter `codes`, checked; a value that is not a list is one problem."""
    if listed is None:
        return
    if not isinstance(listed, list):
        yield Entry(0, "", None, "'codes' must be a list of {system, code} entries")
        return
    for number, item in enumerate(listed[: MAX_CODES + 1], 1):
        if number > MAX_CODES:
            yield Entry(number, "", None, f"'codes' has more than {MAX_CODES} entries")
            return
        yield _entry(number, item)


def _entry(number: int, item: Any) -> Entry:
    if not isinstance(item, dict):
        return Entry(number, "", None, f"'codes' entry {number} must be {{system, code}}")
    system = str(item.get("system") or "").strip().lower()
    raw = item.get("code")
    code = normal_code(raw)
    problem = code_problem(system, code)
    if problem is not None:
        return Entry(number, str(raw or ""), None, f"'codes' entry {number}: {problem}")
    return Entry(number, str(raw), Code(system, code))


def leaflet_codes(meta: dict[str, Any]) -> tuple[str, ...]:
    """The good codes of a leaflet's front matter as 'system:code' keys, each once, in order."""
    found = (entry.code.key for entry in read_entries(meta.get("codes")) if entry.code)
    return tuple(dict.fromkeys(found))


def shown_codes(keys: Iterable[str]) -> str:
    """'L03, DM545': the codes as people read them, without their systems."""
    return ", ".join(code_from_key(key).code for key in keys)


def matching_key(system: str, code: str) -> tuple[str, str]:
    """The family and the plain code by which codes of related systems match (DM545 ~ M54.5)."""
    known = SYSTEMS[system]
    plain = code.replace(".", "")
    if system == "sks":
        plain = plain[1:]
    return known.family, plain


def matches(leaflet: tuple[str, str], asked: tuple[str, str]) -> bool:
    """Whether a leaflet's code answers a request's: the same, or ICD-10's more general one.

    A leaflet for M54 (dorsalgia) answers a request for M54.5 (low back pain).
    """
    if leaflet[0] != asked[0]:
        return False
    if leaflet[0] == "icd10":
        return asked[1].startswith(leaflet[1])
    return asked[1] == leaflet[1]
