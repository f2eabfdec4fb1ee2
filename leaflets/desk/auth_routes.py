"""Logging in and out."""

from __future__ import annotations

import math

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from leaflets.desk.guard import Session, same_token
from leaflets.desk.state import Desk
from leaflets.desk.web import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    current_session,
    desk_of,
    login_token,
    problem,
    read_form,
    render,
    set_cookie,
    staff,
)


def login_page(request: Request, error: str = "", name: str = "", status: int = 200) -> Response:
    """The login form, with a fresh CSRF cookie when it has none."""
    token = login_token(request)
    response = render(request, "login.html.j2", status=status, csrf=token, error=error, name=name)
    set_cookie(response, request, LOGIN_COOKIE, token)
    return response


async def show_login(request: Request) -> Response:
    """GET /login."""
    if current_session(request) is not None:
        return RedirectResponse("/", status_code=303)
    return login_page(request)


async def log_in(request: Request) -> Response:
    """POST /login: check the token, the lock-out and the password."""
    desk = desk_of(request)
    form = await read_form(request) or {}
    if not same_token(form.get("csrf", ""), request.cookies.get(LOGIN_COOKIE, "")):
        return problem(request, desk.texts["error_csrf"], 403, None)
    name = form.get("name", "").strip()[:64]
    password = form.get("password", "")[:1024]
    locked = desk.lockout.locked_for(name)
    if locked:
        minutes = max(1, math.ceil(locked / 60))
        return login_page(request, desk.texts["locked_out"].format(minutes=minutes), name, 429)
    if not await run_in_threadpool(_verified, desk, name, password):
        desk.lockout.failed(name)
        return login_page(request, desk.texts["login_failed"], name, 401)
    desk.lockout.succeeded(name)
    token, _session = desk.sessions.start(name)
    response = RedirectResponse("/", status_code=303)
    set_cookie(response, request, SESSION_COOKIE, token)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


def _verified(desk: Desk, name: str, password: str) -> bool:
    return bool(name) and bool(password) and desk.users().verify(name, password)


def _log_out(desk: Desk, request: Request, _session: Session, _form: dict[str, str]) -> Response:
    desk.sessions.end(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


log_out = staff(_log_out)
