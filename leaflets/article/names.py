"""How a title is matched and ordered: folded for search and lookup, sorted the Danish way."""

from __future__ import annotations

import unicodedata

_SPELT_OUT = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "ß": "ss"})
# Æ, Ø and Å come after Z, in that order, as in a Danish dictionary.
_DANISH_ORDER = str.maketrans({"æ": "z{", "ø": "z|", "å": "z}"})


def fold(text: str) -> str:
    """`text` for matching: lower case, æ ø å ß spelt out, accents, dashes and extra spaces gone."""
    composed = unicodedata.normalize("NFC", text.casefold()).translate(_SPELT_OUT)
    spelt = unicodedata.normalize("NFKD", composed)
    plain = "".join(char for char in spelt if not unicodedata.combining(char))
    return " ".join(plain.replace("-", " ").replace("_", " ").split())


def title_order(title: str) -> str:
    """The key that sorts titles alphabetically, with Æ, Ø and Å last."""
    return unicodedata.normalize("NFC", title.casefold()).translate(_DANISH_ORDER)
