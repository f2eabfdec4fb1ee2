"""The basket's pages: add from any page, look at it, change or remove items, print or send."""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from leaflets.api import Handout
from leaflets.config.errors import LeafletError
from leaflets.desk import basket
from leaflets.desk.actions import checked_recipients, distinct_recipients, log, printer_queues
from leaflets.desk.audit import AuditError
from leaflets.desk.basket import Item
from leaflets.desk.basket_actions import preview_bundle, print_basket, send_basket
from leaflets.desk.bundles import Bundle, bundles_file, load_bundles
from leaflets.desk.catalogue import VARIANTS, Catalogue
from leaflets.desk.confirm import ConfirmError
from leaflets.desk.failures import print_failure, send_failure
from leaflets.desk.family import family, is_stale, language_name
from leaflets.desk.forms import (
    MAX_COPIES,
    MAX_NAME,
    MAX_NOTE,
    FormError,
    Message,
    choice_from,
    copies_from,
    message_from,
    personal_from,
)
from leaflets.desk.guard import Session
from leaflets.desk.handout_record import fhir_download
from leaflets.desk.leaflet_routes import language_option
from leaflets.desk.state import Desk
from leaflets.desk.web import render, staff

BASKET = "/basket"


def basket_context(desk: Desk, session: Session) -> dict[str, Any]:
    """What the basket page shows: each leaflet with its choices, and the two forms."""
    texts, catalogue = desk.texts, desk.catalogue
    found = basket.items(catalogue, session)
    queues, default = printer_queues()
    rows = [
        {
            "item": item,
            "languages": [
                (r.slug, language_option(r, texts)) for r in family(catalogue, item.record)
            ],
            "language": language_name(item.record),
            "variant_name": texts[f"variant_{item.variant}"],
            "stale": is_stale(item.record),
        }
        for item in found
    ]
    count = texts["basket_count_one"] if len(found) == 1 else texts["basket_count"]
    named, broken = _named_bundles(desk)
    return {
        "bundles": [
            (bundle.name, [_title(catalogue, slug) for slug in bundle.slugs]) for bundle in named
        ],
        "bundles_broken": texts["bundles_broken"] if broken else "",
        "rows": rows,
        "count": count.format(count=len(found)),
        "variants": [(v, texts[f"variant_{v}"]) for v in VARIANTS],
        "queues": queues,
        "default_queue": default,
        "max_copies": MAX_COPIES,
        "note_hint": texts["note_hint"].format(limit=MAX_NOTE),
        "max_note": MAX_NOTE,
        "max_name": MAX_NAME,
    }


def _named_bundles(desk: Desk) -> tuple[list[Bundle], bool]:
    """The clinic's named bundles; none, and True, when its file is wrong (said in the log)."""
    try:
        return load_bundles(bundles_file(desk.profile.path)), False
    except LeafletError as error:
        log.warning("%s", error)
        return [], True


def _title(catalogue: Catalogue, slug: str) -> str:
    record = catalogue.record(slug)
    return record.title if record is not None else slug


def _page(
    desk: Desk,
    request: Request,
    session: Session,
    form: dict[str, str] | None = None,
    error: str = "",
    which: str = "",
    status: int = 200,
) -> Response:
    """The basket page; after a refused form, with the message beside it and what was typed."""
    shown = {key: value for key, value in (form or {}).items() if key != "csrf"}
    return render(
        request,
        "basket.html.j2",
        status=status,
        session=session,
        form=shown,
        error=error,
        error_form=which,
        **basket_context(desk, session),
    )


def _text(desk: Desk, error: FormError) -> str:
    return desk.texts[error.key].format(**error.values)


def _show(desk: Desk, request: Request, session: Session, _form: dict[str, str]) -> Response:
    return _page(desk, request, session)


def _back_to(form: dict[str, str]) -> str:
    """Where to go after adding: the page it was added from, when that is one of the desk's."""
    back = form.get("back", "")
    local = back.startswith("/") and not back.startswith("//") and "\\" not in back
    return back if local and back.isprintable() else BASKET


def _add(desk: Desk, request: Request, session: Session, form: dict[str, str]) -> Response:
    try:
        basket.add(desk.catalogue, session, form.get("slug", ""), form.get("variant", ""))
    except FormError as error:
        status = 404 if error.key == "error_basket_unknown" else 422
        return _page(desk, request, session, form, _text(desk, error), "basket", status)
    return RedirectResponse(_back_to(form), status_code=303)


def _add_bundle(desk: Desk, request: Request, session: Session, form: dict[str, str]) -> Response:
    named, _broken = _named_bundles(desk)
    chosen = next((bundle for bundle in named if bundle.name == form.get("name")), None)
    try:
        if chosen is None:
            raise FormError("error_bundle_gone")
        basket.add_all(desk.catalogue, session, chosen.slugs)
    except FormError as error:
        return _page(desk, request, session, form, _text(desk, error), "basket", 422)
    return RedirectResponse(BASKET, status_code=303)


def _change(desk: Desk, request: Request, session: Session, form: dict[str, str]) -> Response:
    try:
        number, slug, variant = (
            form.get("number", ""),
            form.get("slug", ""),
            form.get("variant", ""),
        )
        basket.change(desk.catalogue, session, number, slug, variant)
    except FormError as error:
        return _page(desk, request, session, form, _text(desk, error), "basket", 422)
    return RedirectResponse(BASKET, status_code=303)


def _remove(desk: Desk, request: Request, session: Session, form: dict[str, str]) -> Response:
    try:
        basket.remove(session, form.get("number", ""))
    except FormError as error:
        return _page(desk, request, session, form, _text(desk, error), "basket", 422)
    return RedirectResponse(BASKET, status_code=303)


def _empty(desk: Desk, request: Request, session: Session, _form: dict[str, str]) -> Response:
    basket.empty(session)
    return RedirectResponse(BASKET, status_code=303)


def _print(desk: Desk, request: Request, session: Session, form: dict[str, str]) -> Response:
    try:
        found = basket.printable_together(basket.filled(desk.catalogue, session))
        copies = copies_from(form.get("copies", ""))
        queues, _default = printer_queues()
        printer = choice_from(form.get("printer", ""), queues, "error_printer")
        note = personal_from(form)
        receipt = print_basket(
            desk.catalogue, desk.paths.audit, found, copies, printer, note, session.user
        )
    except FormError as error:
        return _page(desk, request, session, form, _text(desk, error), "print", 422)
    except AuditError:
        return _page(desk, request, session, form, desk.texts["error_audit_print"], "print", 503)
    except LeafletError as error:
        message = print_failure(form.get("printer", ""), error, desk.texts)
        return _page(desk, request, session, form, message, "print", 422)
    message = desk.texts["basket_printed"].format(
        printer=receipt.queue, count=len(found), copies=copies
    )
    return _done(desk, request, session, found, message, receipt.record, receipt.handed)


def _done(
    desk: Desk,
    request: Request,
    session: Session,
    found: list[Item],
    message: str,
    line: str,
    handed: tuple[Handout, ...],
) -> Response:
    stale = any(is_stale(item.record) for item in found)
    return render(
        request,
        "done.html.j2",
        session=session,
        slug="",
        title=desk.texts["basket_back"],
        back=BASKET,
        message=message,
        notice=desk.texts["translation_stale"] if stale else "",
        line=line,
        fhir=fhir_download(handed, desk.profile.leaflets.language),
    )


def _send(desk: Desk, request: Request, session: Session, form: dict[str, str]) -> Response:
    if form.get("step") == "edit":
        return _page(desk, request, session, form, "", "send")
    try:
        found = basket.filled(desk.catalogue, session)
        message = message_from(form)
        count = checked_recipients(message)
        if not desk.rate.allows(session.user, count):
            raise FormError("error_rate", limit=desk.rate.limit)
        if form.get("step") != "confirm":
            return _preview(desk, request, session, form, found, message)
        # The token binds every leaflet, its language and its edition as well as the message.
        key = basket.contents_key(found)
        desk.previews.redeem(session, key, message, form.get("confirm", ""), time.monotonic())
        receipt = send_basket(
            desk.catalogue, desk.paths.audit, found, message, session.user, desk.rate
        )
    except FormError as error:
        return _page(desk, request, session, form, _text(desk, error), "send", 422)
    except ConfirmError as refusal:
        return _page(desk, request, session, form, desk.texts[refusal.key], "send", 409)
    except AuditError:
        return _page(desk, request, session, form, desk.texts["error_audit_send"], "send", 503)
    except LeafletError as error:
        return _page(desk, request, session, form, send_failure(error, desk.texts), "send", 422)
    texts, sent = desk.texts, receipt.recipients
    message_text = texts["sent_one"] if sent == 1 else texts["sent"].format(count=sent)
    return _done(desk, request, session, found, message_text, receipt.record, receipt.handed)


def _preview(
    desk: Desk,
    request: Request,
    session: Session,
    form: dict[str, str],
    found: list[Item],
    message: Message,
) -> Response:
    subject, body = preview_bundle(desk.catalogue, found, message)
    confirm = desk.previews.issue(session, basket.contents_key(found), message, time.monotonic())
    texts = desk.texts
    return render(
        request,
        "preview.html.j2",
        session=session,
        action=f"{BASKET}/send",
        back=BASKET,
        back_text=texts["basket_back"],
        leaflets=[
            (item.record.title, texts[f"variant_{item.variant}"], language_name(item.record))
            for item in found
        ],
        translation_notice=texts["translation_stale"]
        if any(is_stale(item.record) for item in found)
        else "",
        subject=subject,
        body=body,
        recipients=distinct_recipients(message),
        hidden={
            "to": form.get("to", ""),
            "name": form.get("name", ""),
            "note": form.get("note", ""),
        },
        confirm=confirm,
    )


show = staff(_show)
add = staff(_add)
add_bundle = staff(_add_bundle)
change = staff(_change)
remove = staff(_remove)
empty = staff(_empty)
print_all = staff(_print)
send_all = staff(_send)
