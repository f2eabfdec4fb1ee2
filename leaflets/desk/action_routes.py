"""Printing and sending: the forms' POSTs, their checks, the preview and the result."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import Response

from leaflets.config.errors import LeafletError
from leaflets.desk.actions import (
    checked_recipients,
    distinct_recipients,
    preview_message,
    print_copies,
    printer_queues,
    send_message,
)
from leaflets.desk.audit import AuditError
from leaflets.desk.catalogue import VARIANTS
from leaflets.desk.confirm import ConfirmError
from leaflets.desk.forms import FormError, Message, choice_from, copies_from, message_from
from leaflets.desk.guard import Session
from leaflets.desk.handout_record import fhir_download
from leaflets.desk.leaflet_routes import leaflet_context
from leaflets.desk.state import Desk
from leaflets.desk.web import problem, render, staff


def _again(
    desk: Desk,
    request: Request,
    session: Session,
    form: dict[str, str],
    error: str,
    which: str,
    status: int = 422,
) -> Response:
    """The leaflet's page again, with the message beside the form and what was typed kept."""
    record = desk.catalogue.record(request.path_params["slug"])
    if record is None:
        return problem(request, desk.texts["error_not_found"], 404, session)
    context = leaflet_context(desk, record)
    shown = {key: value for key, value in form.items() if key != "csrf"}
    return render(
        request,
        "leaflet.html.j2",
        status=status,
        session=session,
        form=shown,
        error=error,
        error_form=which,
        **context,
    )


def _form_text(desk: Desk, error: FormError) -> str:
    return desk.texts[error.key].format(**error.values)


def _print(desk: Desk, request: Request, session: Session, form: dict[str, str]) -> Response:
    slug = request.path_params["slug"]
    try:
        copies = copies_from(form.get("copies", ""))
        variant = choice_from(form.get("variant", ""), VARIANTS, "error_variant")
        queues, _default = printer_queues()
        printer = choice_from(form.get("printer", ""), queues, "error_printer")
        receipt = print_copies(
            desk.catalogue, desk.paths.audit, slug, copies, variant, printer, session.user
        )
    except FormError as error:
        return _again(desk, request, session, form, _form_text(desk, error), "print")
    except AuditError:
        return _again(desk, request, session, form, desk.texts["error_audit_print"], "print", 503)
    except LeafletError as error:
        message = desk.texts["error_print"].format(reason=error)
        return _again(desk, request, session, form, message, "print")
    return render(
        request,
        "done.html.j2",
        session=session,
        slug=slug,
        title=receipt.info.title,
        message=desk.texts["printed"].format(printer=receipt.queue, job=receipt.job),
        line=receipt.record,
        fhir=fhir_download(receipt.handed, desk.profile.leaflets.language),
    )


def _send(desk: Desk, request: Request, session: Session, form: dict[str, str]) -> Response:
    slug = request.path_params["slug"]
    if form.get("step") == "edit":
        return _again(desk, request, session, form, "", "send", 200)
    try:
        message = message_from(form)
        count = checked_recipients(message)
        if not desk.rate.allows(session.user, count):
            raise FormError("error_rate", limit=desk.rate.limit)
        if form.get("step") != "confirm":
            return _preview(desk, request, session, form, message)
        desk.previews.redeem(session, slug, message, form.get("confirm", ""), time.monotonic())
        record, receipt = send_message(
            desk.catalogue, desk.paths.audit, slug, message, session.user, desk.rate
        )
    except FormError as error:
        return _again(desk, request, session, form, _form_text(desk, error), "send")
    except ConfirmError as refusal:
        return _again(desk, request, session, form, desk.texts[refusal.key], "send", 409)
    except AuditError:
        return _again(desk, request, session, form, desk.texts["error_audit_send"], "send", 503)
    except LeafletError as error:
        text = desk.texts["error_send"].format(reason=error)
        return _again(desk, request, session, form, text, "send")
    texts, sent = desk.texts, receipt.recipients
    return render(
        request,
        "done.html.j2",
        session=session,
        slug=slug,
        title=record.title,
        message=texts["sent_one"] if sent == 1 else texts["sent"].format(count=sent),
        line=receipt.record,
        fhir=fhir_download(receipt.handed, desk.profile.leaflets.language),
    )


def _preview(
    desk: Desk,
    request: Request,
    session: Session,
    form: dict[str, str],
    message: Message,
) -> Response:
    slug = request.path_params["slug"]
    record, subject, body = preview_message(desk.catalogue, slug, message)
    confirm = desk.previews.issue(session, slug, message, time.monotonic())
    return render(
        request,
        "preview.html.j2",
        session=session,
        record=record,
        subject=subject,
        body=body,
        recipients=distinct_recipients(message),
        to=form.get("to", ""),
        name=form.get("name", ""),
        note=form.get("note", ""),
        confirm=confirm,
    )


print_leaflet = staff(_print)
send_leaflet = staff(_send)
