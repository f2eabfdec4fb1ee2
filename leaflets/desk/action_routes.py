"""Printing and sending: the forms' POSTs, their checks, the preview and the result."""

from __future__ import annotations

import time
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response

from leaflets.config.errors import LeafletError
from leaflets.desk.actions import (
    checked_recipients,
    distinct_recipients,
    first_page_sent,
    preview_message,
    print_copies,
    printer_queues,
    send_message,
    sent_picture,
)
from leaflets.desk.audit import AuditError
from leaflets.desk.catalogue import VARIANTS
from leaflets.desk.confirm import ConfirmError
from leaflets.desk.failures import print_failure, send_failure
from leaflets.desk.family import family, is_stale, language_name
from leaflets.desk.forms import (
    FormError,
    Message,
    choice_from,
    copies_from,
    copy_from,
    message_from,
)
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


def _chosen(desk: Desk, request: Request, form: dict[str, str]) -> tuple[str, str]:
    """The leaflet to hand out (the page's own, or one of its translations) and its edition."""
    slug = request.path_params["slug"]
    record = desk.catalogue.record(slug)
    members = [r.slug for r in family(desk.catalogue, record)] if record else [slug]
    chosen = choice_from(form.get("slug") or slug, members, "error_language")
    return chosen, choice_from(form.get("variant") or "standard", VARIANTS, "error_variant")


def _print(desk: Desk, request: Request, session: Session, form: dict[str, str]) -> Response:
    try:
        copies = copies_from(form.get("copies", ""))
        slug, variant = _chosen(desk, request, form)
        queues, _default = printer_queues()
        printer = choice_from(form.get("printer", ""), queues, "error_printer")
        copy = copy_from(form, copies, variant, printer)
        receipt = print_copies(desk.catalogue, desk.paths.audit, slug, copy, session.user)
    except FormError as error:
        return _again(desk, request, session, form, _form_text(desk, error), "print")
    except AuditError:
        return _again(desk, request, session, form, desk.texts["error_audit_print"], "print", 503)
    except LeafletError as error:
        message = print_failure(form.get("printer", ""), error, desk.texts)
        return _again(desk, request, session, form, message, "print")
    return render(
        request,
        "done.html.j2",
        session=session,
        slug=slug,
        title=receipt.info.title,
        message=desk.texts["printed"].format(printer=receipt.queue, copies=copies),
        notice=desk.texts["translation_stale"] if receipt.info.translation_state == "stale" else "",
        # Copies for the waiting room reach no patient: nothing for a patient's record.
        line="" if copy.waiting_room else receipt.record,
        fhir=""
        if copy.waiting_room
        else fhir_download([receipt.handed], desk.profile.leaflets.language),
    )


def _send(desk: Desk, request: Request, session: Session, form: dict[str, str]) -> Response:
    if form.get("step") == "edit":
        return _again(desk, request, session, form, "", "send", 200)
    try:
        slug, variant = _chosen(desk, request, form)
        message = message_from(form)
        count = checked_recipients(message)
        if not desk.rate.allows(session.user, count):
            raise FormError("error_rate", limit=desk.rate.limit)
        if form.get("step") != "confirm":
            return _preview(desk, request, session, form, message)
        # The token binds the leaflet, its language and its edition as well as the message.
        shown = f"{slug}/{variant}"
        desk.previews.redeem(session, shown, message, form.get("confirm", ""), time.monotonic())
        record, receipt = send_message(
            desk.catalogue, desk.paths.audit, slug, message, session.user, desk.rate, variant
        )
    except FormError as error:
        return _again(desk, request, session, form, _form_text(desk, error), "send")
    except ConfirmError as refusal:
        return _again(desk, request, session, form, desk.texts[refusal.key], "send", 409)
    except AuditError:
        return _again(desk, request, session, form, desk.texts["error_audit_send"], "send", 503)
    except LeafletError as error:
        return _again(desk, request, session, form, send_failure(error, desk.texts), "send")
    texts, sent = desk.texts, receipt.recipients
    return render(
        request,
        "done.html.j2",
        session=session,
        slug=slug,
        title=record.title,
        message=texts["sent_one"] if sent == 1 else texts["sent"].format(count=sent),
        notice=texts["translation_stale"] if is_stale(record) else "",
        line=receipt.record,
        fhir=fhir_download([receipt.handed], desk.profile.leaflets.language),
    )


def _preview(
    desk: Desk,
    request: Request,
    session: Session,
    form: dict[str, str],
    message: Message,
) -> Response:
    slug, variant = _chosen(desk, request, form)
    record, subject, body = preview_message(desk.catalogue, slug, message)
    picture = first_page_sent(desk.catalogue, slug, message, variant)
    confirm = desk.previews.issue(session, f"{slug}/{variant}", message, time.monotonic())
    texts = desk.texts
    page_slug = request.path_params["slug"]
    return render(
        request,
        "preview.html.j2",
        session=session,
        action=f"/leaflet/{quote(page_slug, safe='')}/send",
        back=f"/leaflet/{quote(page_slug, safe='')}",
        back_text=record.title,
        leaflets=[(record.title, texts[f"variant_{variant}"], language_name(record))],
        translation_notice=texts["translation_stale"] if is_stale(record) else "",
        subject=subject,
        body=body,
        recipients=distinct_recipients(message),
        pictures=[sent_picture(picture, texts["preview_picture_alt"].format(title=record.title))],
        hidden={
            "to": form.get("to", ""),
            "name": form.get("name", ""),
            "note": form.get("note", ""),
            "variant": variant,
            "slug": record.slug,
        },
        confirm=confirm,
    )


print_leaflet = staff(_print)
send_leaflet = staff(_send)
