"""Handing out the basket: one print job, or a preview and then one message per patient."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import Response

from leaflets.api import Handout
from leaflets.config.errors import LeafletError
from leaflets.desk import basket
from leaflets.desk.actions import (
    checked_recipients,
    distinct_recipients,
    first_page_sent,
    printer_queues,
    sent_picture,
)
from leaflets.desk.audit import AuditError
from leaflets.desk.basket import Item
from leaflets.desk.basket_actions import preview_bundle, print_basket, send_basket
from leaflets.desk.basket_routes import BASKET, basket_page, form_text
from leaflets.desk.confirm import ConfirmError
from leaflets.desk.failures import print_failure, send_failure
from leaflets.desk.family import is_stale, language_name
from leaflets.desk.forms import (
    FormError,
    Message,
    choice_from,
    copies_from,
    message_from,
    personal_from,
)
from leaflets.desk.guard import Session
from leaflets.desk.handout_record import fhir_download
from leaflets.desk.state import Desk
from leaflets.desk.web import render, staff


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
        return basket_page(desk, request, session, form, form_text(desk, error), "print", 422)
    except AuditError:
        return basket_page(
            desk, request, session, form, desk.texts["error_audit_print"], "print", 503
        )
    except LeafletError as error:
        message = print_failure(form.get("printer", ""), error, desk.texts)
        return basket_page(desk, request, session, form, message, "print", 422)
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
        return basket_page(desk, request, session, form, "", "send")
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
        return basket_page(desk, request, session, form, form_text(desk, error), "send", 422)
    except ConfirmError as refusal:
        return basket_page(desk, request, session, form, desk.texts[refusal.key], "send", 409)
    except AuditError:
        return basket_page(
            desk, request, session, form, desk.texts["error_audit_send"], "send", 503
        )
    except LeafletError as error:
        return basket_page(
            desk, request, session, form, send_failure(error, desk.texts), "send", 422
        )
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
        pictures=[
            sent_picture(
                # The note and the name go with the first leaflet only.
                first_page_sent(desk.catalogue, item.record.slug, message, item.variant, not at),
                texts["preview_picture_alt"].format(title=item.record.title),
            )
            for at, item in enumerate(found)
        ],
        hidden={
            "to": form.get("to", ""),
            "name": form.get("name", ""),
            "note": form.get("note", ""),
        },
        confirm=confirm,
    )


print_all = staff(_print)
send_all = staff(_send)
