"""Logging in and out, and changing one's own password."""

from __future__ import annotations

import logging
import math

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from leaflets.config.errors import LeafletError
from leaflets.desk.audit import AuditError, append_entry, entry_now
from leaflets.desk.guard import Session, same_token
from leaflets.desk.state import Desk
from leaflets.desk.users import MAX_PASSWORD, MIN_PASSWORD, change_password, is_common
from leaflets.desk.web import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    cookie,
    current_session,
    desk_of,
    drop_cookie,
    login_token,
    problem,
    read_form,
    render,
    set_cookie,
    staff,
)

log = logging.getLogger("leaflets.desk")
UNKNOWN_USER = "?"  # a name that is no user is not written down: it could be anything typed


def login_page(request: Request, error: str = "", name: str = "", status: int = 200) -> Response:
    """The login form, with a fresh CSRF cookie when it has none."""
    token = login_token(request)
    # After logging out, the form says so: staff see that the desk is closed to others.
    notice = desk_of(request).texts["logged_out"] if request.query_params.get("ud") else ""
    response = render(
        request, "login.html.j2", status=status, csrf=token, error=error, name=name, notice=notice
    )
    set_cookie(response, request, LOGIN_COOKIE, token)
    return response


async def show_login(request: Request) -> Response:
    """GET /login."""
    if current_session(request) is not None:
        return RedirectResponse("/", status_code=303)
    return login_page(request)


async def log_in(request: Request) -> Response:
    """POST /login: the token, then a reserved try under the lock-out, then the password."""
    desk = desk_of(request)
    form = await read_form(request) or {}
    if not same_token(form.get("csrf", ""), cookie(request, LOGIN_COOKIE)):
        return problem(request, desk.texts["error_csrf"], 403, None)
    name = form.get("name", "").strip()[:64]
    password = form.get("password", "")[:MAX_PASSWORD]
    if not name or not password:
        return login_page(request, desk.texts["login_failed"], name, 401)
    locked = desk.lockout.attempt(name)
    if locked:
        minutes = max(1, math.ceil(locked / 60))
        return login_page(request, desk.texts["locked_out"].format(minutes=minutes), name, 429)
    users = desk.users()
    if not await checked(desk, name, password):
        who = name if name in users.hashes else UNKNOWN_USER
        await run_in_threadpool(audit_or_log, desk, who, "login-failed")
        return login_page(request, desk.texts["login_failed"], name, 401)
    try:
        await run_in_threadpool(append_entry, desk.paths.audit, entry_now(name, "login"))
    except AuditError:
        return login_page(request, desk.texts["error_audit_login"], name, 503)
    desk.lockout.succeeded(name)
    token, _session = desk.sessions.start(name, users.hashes[name])
    response = RedirectResponse("/", status_code=303)
    set_cookie(response, request, SESSION_COOKIE, token)
    drop_cookie(response, request, LOGIN_COOKIE)
    return response


async def checked(desk: Desk, name: str, password: str) -> bool:
    """Whether the password is the user's, checked at most two at a time (64 MiB each)."""
    users = desk.users()
    return await anyio.to_thread.run_sync(users.verify, name, password, limiter=desk.verifying)


def audit_or_log(desk: Desk, user: str, action: str) -> None:
    """An entry for something already refused or done: when it cannot be written, a log line."""
    try:
        append_entry(desk.paths.audit, entry_now(user, action))
    except AuditError as error:
        log.error("%s: %s", action, error)


def _log_out(desk: Desk, request: Request, session: Session, _form: dict[str, str]) -> Response:
    desk.sessions.end(cookie(request, SESSION_COOKIE))
    audit_or_log(desk, session.user, "logout")
    response = RedirectResponse("/login?ud=1", status_code=303)
    drop_cookie(response, request, SESSION_COOKIE)
    return response


log_out = staff(_log_out)


def _password_page(
    desk: Desk, request: Request, session: Session, _form: dict[str, str]
) -> Response:
    return password_form(request, session)


def password_form(
    request: Request, session: Session, error: str = "", status: int = 200
) -> Response:
    """The form for a new password."""
    limits = {"min_password": MIN_PASSWORD, "max_password": MAX_PASSWORD}
    return render(
        request, "password.html.j2", status=status, session=session, error=error, **limits
    )


show_password = staff(_password_page)


async def set_password(request: Request) -> Response:
    """POST /password: the old password, then the new one twice; other sessions end."""
    desk = desk_of(request)
    session = current_session(request)
    if session is None:
        return problem(request, desk.texts["session_ended"], 403, None)
    form = await read_form(request) or {}
    if not same_token(form.get("csrf", ""), session.csrf):
        return problem(request, desk.texts["error_csrf"], 403, session)
    old, new = form.get("old", "")[:MAX_PASSWORD], form.get("new", "")[:MAX_PASSWORD]
    problem_key = new_password_problem(new, form.get("repeat", ""), session.user)
    if problem_key:
        return password_form(request, session, desk.texts[problem_key], 422)
    locked = desk.lockout.attempt(session.user)
    if locked:
        minutes = max(1, math.ceil(locked / 60))
        return password_form(
            request, session, desk.texts["locked_out"].format(minutes=minutes), 429
        )
    if not old or not await checked(desk, session.user, old):
        return password_form(request, session, desk.texts["error_old_password"], 422)
    desk.lockout.succeeded(session.user)
    try:
        new_hash = await anyio.to_thread.run_sync(
            _saved, desk, session.user, new, limiter=desk.verifying
        )
    except LeafletError:
        return password_form(request, session, desk.texts["error_password_saved"], 503)
    desk.sessions.end_user(session.user)
    token, fresh = desk.sessions.start(session.user, new_hash)
    response = render(
        request,
        "password.html.j2",
        session=fresh,
        error="",
        done=desk.texts["password_changed"],
        min_password=MIN_PASSWORD,
        max_password=MAX_PASSWORD,
    )
    set_cookie(response, request, SESSION_COOKIE, token)
    return response


def new_password_problem(new: str, repeat: str, user: str) -> str:
    """The desk text key of what is wrong with a new password, '' when nothing is."""
    if new != repeat:
        return "error_password_repeat"
    if len(new) < MIN_PASSWORD:
        return "error_password_short"
    if is_common(new, user):
        return "error_password_common"
    return ""


def _saved(desk: Desk, user: str, password: str) -> str:
    def audit(action: str) -> None:
        append_entry(desk.paths.audit, entry_now(user, action, subject=user))

    return change_password(desk.paths.users, user, password, audit)
