"""Parsing the date forms found in real catalogues, and printing them with Babel."""

from __future__ import annotations

import datetime as dt
import re

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date

from leaflets.config.labels import has_labels, labels_for

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


# Articles are about living people's health: a date outside these years is a typing error,
# and one near year 9999 would overflow the review-date arithmetic.
FIRST_YEAR, LAST_YEAR = 1900, 2200


class DateFormError(ValueError):
    """A date that is malformed, impossible or outside the years an article can have."""


def parse_date(value: object) -> dt.date:
    """A date from a YAML date, ISO YYYY-MM-DD, DD/MM/YYYY, DD-MM-YYYY or D-MM-YYYY."""
    day = _any_date(value)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise DateFormError(f"{day.isoformat()} is not between {FIRST_YEAR} and {LAST_YEAR}")
    return day


def _any_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_FIRST.match(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise DateFormError(f"'{text}' is not a date (use DD/MM/YYYY or YYYY-MM-DD)")
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DateFormError(f"'{text}' is not a real date") from None


# A bare "en" means British usage (3 April 2024), as a European clinic writes it.
_LOCALE_FOR_LANGUAGE = {"en": "en_GB"}


def format_date(value: dt.date, language: str) -> str:
    """A long date in the article's language, e.g. '19. februar 2025' or '3 April 2024'."""
    return in_digits(babel_format_date(value, format="long", locale=_locale(language)), language)


# The digits a label file may ask for: Western (latn) or Arabic-Indic (arab).
_DIGITS = {"arab": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")}


def in_digits(text: str, language: str) -> str:
    """`text` with its digits written as the language's label file says (`digits`)."""
    if not has_labels(language):
        return text
    table = _DIGITS.get(str(labels_for(language).get("digits", "latn")))
    return text.translate(table) if table else text


def is_known_locale(language: str) -> bool:
    """Whether Babel can write dates for a language tag such as 'da' or 'en-GB'."""
    try:
        Locale.parse(_locale(language))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _locale(language: str) -> str:
    return _LOCALE_FOR_LANGUAGE.get(language, language.replace("-", "_"))


def add_months(start: dt.date, months: int) -> dt.date:
    """`start` plus whole months, clamped to the month's end (31 Jan + 1 = 28/29 Feb).

    Past the calendar's last year it gives the last day there is, instead of raising.
    """
    from dateutil.relativedelta import relativedelta

    try:
        moved: dt.date = start + relativedelta(months=months)
    except (OverflowError, ValueError):
        return dt.date.max if months > 0 else dt.date.min
    return moved
