"""Date rules: order, the future, a missing publication date, and the review schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from leaflets.article.dates import add_months
from leaflets.checks.context import Context
from leaflets.checks.findings import Finding
from leaflets.checks.settings import REVIEW_SOON_DAYS

PUBLISHED, UPDATED = "datePublished", "lastUpdated"


def date_order(context: Context) -> Iterator[Finding]:
    """`lastUpdated` earlier than `datePublished`."""
    published, updated = context.date(PUBLISHED), context.date(UPDATED)
    if published and updated and updated < published:
        yield context.finding(
            context.meta_line(UPDATED),
            f"'lastUpdated' ({updated.isoformat()}) is earlier than "
            f"'datePublished' ({published.isoformat()}, line {context.meta_line(PUBLISHED)})",
            "date-order",
        )


def date_future(context: Context) -> Iterator[Finding]:
    """A publication or update date after today."""
    for key in (PUBLISHED, UPDATED):
        day = context.date(key)
        if day and day > context.today:
            yield context.finding(
                context.meta_line(key),
                f"'{key}' ({day.isoformat()}) is in the future",
                "date-future",
            )


def date_missing(context: Context) -> Iterator[Finding]:
    """No `datePublished`: a reader cannot tell how current the leaflet is."""
    if PUBLISHED not in context.source.meta or context.source.meta[PUBLISHED] in (None, ""):
        yield context.finding(1, "no 'datePublished' in the front matter", "date-missing")


def next_review(context: Context) -> dt.date | None:
    """The newest of the two dates plus the clinic's review interval."""
    known = [day for day in (context.date(PUBLISHED), context.date(UPDATED)) if day]
    return add_months(max(known), context.settings.review_months) if known else None


def review(context: Context) -> Iterator[Finding]:
    """A review that is overdue, or due within 90 days."""
    due = next_review(context)
    if due is None:
        return
    key = UPDATED if context.date(UPDATED) and due == _due_from(context, UPDATED) else PUBLISHED
    line = context.meta_line(key)
    if due < context.today:
        days = (context.today - due).days
        yield context.finding(
            line,
            f"review overdue: it was due on {due.isoformat()} ({days} days ago)",
            "review-overdue",
        )
    elif (due - context.today).days <= REVIEW_SOON_DAYS:
        days = (due - context.today).days
        yield context.finding(
            line, f"review due on {due.isoformat()} (in {days} days)", "review-due"
        )


def _due_from(context: Context, key: str) -> dt.date | None:
    day = context.date(key)
    return add_months(day, context.settings.review_months) if day else None
