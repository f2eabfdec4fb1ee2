"""The basket's pages: add from any page (or a named bundle), look at it, change or remove."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from leaflets.config.errors import LeafletError
from leaflets.desk import basket
from leaflets.desk.actions import log, printer_queues
from leaflets.desk.bundles import Bundle, bundles_file, load_bundles
from leaflets.desk.catalogue import Catalogue
from leaflets.desk.family import family, is_stale, language_name
from leaflets.desk.forms import (
    FormError,
)
from leaflets.desk.guard import Session
from leaflets.desk.leaflet_routes import handout_form, language_option
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
        **handout_form(texts, queues, default),
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


def basket_page(
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


def form_text(desk: Desk, error: FormError) -> str:
    return desk.texts[error.key].format(**error.values)


def _show(desk: Desk, request: Request, session: Session, _form: dict[str, str]) -> Response:
    return basket_page(desk, request, session)


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
        return basket_page(desk, request, session, form, form_text(desk, error), "basket", status)
    return RedirectResponse(_back_to(form), status_code=303)


def _add_bundle(desk: Desk, request: Request, session: Session, form: dict[str, str]) -> Response:
    named, _broken = _named_bundles(desk)
    chosen = next((bundle for bundle in named if bundle.name == form.get("name")), None)
    try:
        if chosen is None:
            raise FormError("error_bundle_gone")
        basket.add_all(desk.catalogue, session, chosen.slugs)
    except FormError as error:
        return basket_page(desk, request, session, form, form_text(desk, error), "basket", 422)
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
        return basket_page(desk, request, session, form, form_text(desk, error), "basket", 422)
    return RedirectResponse(BASKET, status_code=303)


def _remove(desk: Desk, request: Request, session: Session, form: dict[str, str]) -> Response:
    try:
        basket.remove(session, form.get("number", ""))
    except FormError as error:
        return basket_page(desk, request, session, form, form_text(desk, error), "basket", 422)
    return RedirectResponse(BASKET, status_code=303)


def _empty(desk: Desk, request: Request, session: Session, _form: dict[str, str]) -> Response:
    basket.empty(session)
    return RedirectResponse(BASKET, status_code=303)


show = staff(_show)
add = staff(_add)
add_bundle = staff(_add_bundle)
change = staff(_change)
remove = staff(_remove)
empty = staff(_empty)
