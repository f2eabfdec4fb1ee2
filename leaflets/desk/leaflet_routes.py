"""Finding and looking at leaflets: the list, search, a leaflet's page, its PDF and images."""

from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from leaflets.config.errors import LeafletError
from leaflets.config.labels import labels_for
from leaflets.desk.actions import printer_queues
from leaflets.desk.audit import JOINED, AuditEntry, last_entries
from leaflets.desk.catalogue import VARIANTS
from leaflets.desk.failures import build_failure, stale_notice
from leaflets.desk.family import badges, cards, family, is_stale, language_name
from leaflets.desk.forms import MAX_COPIES, MAX_NAME, MAX_NOTE
from leaflets.desk.guard import Session
from leaflets.desk.records import LeafletRecord
from leaflets.desk.search import MAX_QUERY
from leaflets.desk.state import Desk
from leaflets.desk.texts import Texts
from leaflets.desk.web import desk_of, problem, render, staff


def listed(record: LeafletRecord, texts: Texts, today: dt.date) -> dict[str, Any]:
    """What a list row shows of a leaflet."""
    status = record.review_status(today)
    date = shown_date(record.review, texts)
    review = {
        "overdue": texts["review_overdue"],
        "due": texts["review_due"],
        "ok": texts["review_ok"],
        "none": texts["review_none"],
    }[status].format(date=date)
    pages = texts["pages_one"] if record.pages == 1 else texts["pages"].format(count=record.pages)
    return {"record": record, "review_state": status, "review": review, "pages": pages}


def shown_date(iso: str, texts: Texts) -> str:
    """An ISO date as staff read it: 19.02.2027."""
    return dt.date.fromisoformat(iso).strftime("%d.%m.%Y") if iso else texts["no_date"]


def _results(desk: Desk, query: str) -> dict[str, Any]:
    catalogue = desk.catalogue
    records = cards(catalogue, catalogue.find(query) if query.strip() else catalogue.records())
    texts, today = desk.texts, desk.today()
    count = texts["results_one"] if len(records) == 1 else texts["results_count"]
    rows = [
        {**listed(record, texts, today), "languages": badges(family(catalogue, record))}
        for record in records
    ]
    return {
        "query": query,
        "rows": rows,
        "count": count.format(count=len(records)),
    }


def _start(desk: Desk, request: Request, session: Session, _form: dict[str, str]) -> Response:
    desk.catalogue.refresh_when_added()
    query = request.query_params.get("q", "")[:MAX_QUERY]
    return render(request, "list.html.j2", session=session, **_results(desk, query))


def _search(desk: Desk, request: Request, session: Session, _form: dict[str, str]) -> Response:
    query = request.query_params.get("q", "")[:MAX_QUERY]
    return render(request, "results.html.j2", session=session, **_results(desk, query))


def leaflet_context(desk: Desk, record: LeafletRecord) -> dict[str, Any]:
    """What the leaflet's page shows, and the choices of its forms."""
    texts = desk.texts
    queues, default = printer_queues()
    members = family(desk.catalogue, record)
    return {
        **listed(record, texts, desk.today()),
        "languages": [(r.slug, language_option(r, texts)) for r in members],
        "chosen": record.slug,
        "translation_notice": texts["translation_stale"] if is_stale(record) else "",
        "published": shown_date(record.published, texts),
        "updated": shown_date(record.updated, texts),
        "next_review": shown_date(record.review, texts),
        "page_numbers": list(range(1, min(record.pages, 24) + 1)),
        **handout_form(texts, queues, default),
        "stale_notice": stale_notice(record, desk.catalogue.output, texts),
    }


def language_option(record: LeafletRecord, texts: Texts) -> str:
    """A language in the forms' choice, with the warning of a stale translation."""
    name = language_name(record)
    return texts["language_stale"].format(language=name) if is_stale(record) else name


def _leaflet(desk: Desk, request: Request, session: Session, _form: dict[str, str]) -> Response:
    try:
        record = desk.catalogue.current(request.path_params["slug"])
    except LeafletError as error:
        message = build_failure(request.path_params["slug"], error, desk.texts)
        return problem(request, message, 500, session)
    if record is None:
        return problem(request, desk.texts["error_not_found"], 404, session)
    context = leaflet_context(desk, record)
    return render(
        request, "leaflet.html.j2", session=session, form={}, error="", error_form="", **context
    )


def _pdf(desk: Desk, request: Request, session: Session, _form: dict[str, str]) -> Response:
    path = desk.catalogue.pdf_path(request.path_params["slug"])
    if path is None or not path.is_file():
        return problem(request, desk.texts["error_not_found"], 404, session)
    return FileResponse(path, media_type="application/pdf", content_disposition_type="inline")


def _page(desk: Desk, request: Request, session: Session, _form: dict[str, str]) -> Response:
    path = desk.catalogue.page_image(request.path_params["slug"], request.path_params["page"])
    if path is None:
        return problem(request, desk.texts["error_not_found"], 404, session)
    return FileResponse(path, media_type="image/png")


def _log(desk: Desk, request: Request, session: Session, _form: dict[str, str]) -> Response:
    entries = last_entries(desk.paths.audit)
    return render(
        request,
        "log.html.j2",
        session=session,
        entries=entries,
        chain=chain_text(desk),
        actions={action: desk.texts[key] for action, key in ACTION_TEXTS.items()},
        shown_when=shown_moment,
        details=lambda entry: entry_details(entry, desk.texts),
    )


def shown_moment(stamp: str) -> str:
    """An audit time as the rest of the page shows dates: 07.12.2026 14:05."""
    try:
        return dt.datetime.fromisoformat(stamp).strftime("%d.%m.%Y %H:%M")
    except ValueError:
        return stamp[:16]


def entry_details(entry: AuditEntry, texts: Texts) -> list[str]:
    """What a hand-out was besides its leaflet: edition, language, note, waiting room."""
    details = []
    together = JOINED in entry.slug  # the leaflets of a basket: the record line names each
    if entry.record:
        details.append(entry.record)
    if entry.edition and entry.edition != "standard" and not together:
        details.append(texts[f"variant_{entry.edition}"])
    if entry.language and not together:
        details.append(str(labels_for(entry.language).get("language_name", entry.language)))
    if entry.personal:
        details.append(texts["log_personal"])
    if entry.stale_translation:
        details.append(texts["log_stale_translation"])
    if entry.waiting_room:
        details.append(texts["log_waiting_room"])
    return details


ACTION_TEXTS = {
    "login": "log_login",
    "login-failed": "log_login_failed",
    "logout": "log_logout",
    "print": "log_print",
    "printed": "log_printed",
    "print-failed": "log_failed",
    "send": "log_send",
    "sent": "log_sent",
    "send-failed": "log_failed",
    "user-add": "log_user_add",
    "user-remove": "log_user_remove",
    "user-passwd": "log_user_passwd",
}


def chain_text(desk: Desk) -> tuple[bool, str]:
    """Whether the audit chain was whole when last checked, and the sentence that says so."""
    when, report = desk.chain.latest()
    shown = shown_moment(when)
    texts = desk.texts
    if report.whole:
        return True, texts["log_chain_whole"].format(when=shown, count=report.entries)
    problem = texts["chain_" + report.problem.replace("-", "_")]
    return False, texts["log_chain_broken"].format(
        when=shown, number=report.broken_at, problem=problem
    )


async def theme(request: Request) -> Response:
    """The clinic's colour as a stylesheet: the CSP allows no inline style."""
    colour = desk_of(request).profile.style.primary_color
    return Response(f":root {{ --clinic: {colour}; }}\n", media_type="text/css")


start = staff(_start)
search = staff(_search)
leaflet = staff(_leaflet)
pdf = staff(_pdf)
page = staff(_page)
log_page = staff(_log)


def handout_form(texts: dict[str, str], queues: list[str], default: str) -> dict[str, object]:
    """What every print and send form shows: editions, printers and the limits of its fields
    (the same as the command line's)."""
    return {
        "variants": [(v, texts[f"variant_{v}"]) for v in VARIANTS],
        "queues": queues,
        "default_queue": default,
        "max_copies": MAX_COPIES,
        "note_hint": texts["note_hint"].format(limit=MAX_NOTE),
        "max_note": MAX_NOTE,
        "max_name": MAX_NAME,
    }
