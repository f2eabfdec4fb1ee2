import datetime as dt

import pytest

from leaflets.article.dates import DateFormError, add_months, format_date, parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("19/02/2025", dt.date(2025, 2, 19)),
        ("19-02-2025", dt.date(2025, 2, 19)),
        ("5-03-2024", dt.date(2024, 3, 5)),
        ("2024-04-03", dt.date(2024, 4, 3)),
        (dt.date(2024, 4, 3), dt.date(2024, 4, 3)),
        (dt.datetime(2024, 4, 3, 12, 30), dt.date(2024, 4, 3)),
        (" 01/12/2023 ", dt.date(2023, 12, 1)),
    ],
)
def test_every_date_form_is_read(value: object, expected: dt.date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/2025", "2025-13-01", "00/01/2024", "29-02-2023"])
def test_impossible_dates_are_refused(value: str) -> None:
    with pytest.raises(DateFormError, match="not a real date"):
        parse_date(value)


@pytest.mark.parametrize("value", ["yesterday", "2025/02/19", "19.2.25", "", "12345"])
def test_malformed_dates_are_refused(value: str) -> None:
    with pytest.raises(DateFormError, match="is not a date"):
        parse_date(value)


def test_dates_are_printed_in_the_article_language() -> None:
    assert format_date(dt.date(2025, 2, 19), "da") == "19. februar 2025"
    assert format_date(dt.date(2024, 4, 3), "en") == "3 April 2024"


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (dt.date(2025, 2, 19), 24, dt.date(2027, 2, 19)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 8, 31), 36, dt.date(2027, 8, 31)),
        (dt.date(2024, 10, 31), 4, dt.date(2025, 2, 28)),
        (dt.date(2023, 12, 15), 1, dt.date(2024, 1, 15)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2024, 2, 29), 48, dt.date(2028, 2, 29)),
        (dt.date(2025, 8, 31), 1, dt.date(2025, 9, 30)),
        (dt.date(2025, 12, 31), 2, dt.date(2026, 2, 28)),
    ],
)
def test_months_are_added_with_month_ends_clamped(
    start: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(start, months) == expected
