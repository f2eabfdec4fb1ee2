"""What every desk page shares: templates, security headers, sessions and CSRF checks."""

from __future__ import annotations

import logging
import secrets
import traceback
from collections.abc import Awaitable, Callable
from functools import cache, wraps
from pathlib import Path
from typing import Any

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from leaflets.config.errors import LeafletError
from leaflets.desk.forms import MAX_FORM_BYTES, parse_form
from leaflets.desk.guard import Session, same_token
from leaflets.desk.state import Desk

PACKAGE = Path(__file__).resolve().parent
TEMPLATES = PACKAGE / "templates"
STATIC = PACKAGE / "static"
SESSION_COOKIE = "desk_session"
LOGIN_COOKIE = "desk_login"
# `__Host-` cookies are Secure, for this host only and for every path: no other site, sub-domain
# or plain-http page can set one (so no attacker-chosen login token). Chromium and Firefox
# keep Secure cookies on http://localhost and http://127.0.0.1, which count as secure origins.
HOST_PREFIX = "__Host-"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
log = logging.getLogger("leaflets.desk")

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
        # data: images: the send preview's picture of the patient's copy, made for one answer.
        "object-src 'none'; img-src 'self' data:"
    ),
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
}

Handler = Callable[[Desk, Request, Session, dict[str, str]], Response]
Endpoint = Callable[[Request], Awaitable[Response]]


@cache
def environment() -> jinja2.Environment:
    """The desk's templates; every value is escaped, and articles are never templates."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def desk_of(request: Request) -> Desk:
    """The desk this request belongs to."""
    desk: Desk = request.app.state.desk
    return desk


def render(
    request: Request,
    template: str,
    *,
    status: int = 200,
    session: Session | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page from a template, in the desk's language."""
    desk = desk_of(request)
    html = (
        environment()
        .get_template(template)
        .render(
            t=desk.texts,
            lang=desk.language,
            clinic=desk.profile.clinic.name,
            session=session,
            path=request.url.path,
            read_only=desk.catalogue.read_only,
            **context,
        )
    )
    return HTMLResponse(html, status_code=status)


def problem(request: Request, message: str, status: int, session: Session | None) -> Response:
    """A page that says what went wrong, in one sentence."""
    return render(request, "problem.html.j2", status=status, session=session, message=message)


def secure(request: Request) -> bool:
    """Whether a browser keeps Secure cookies for this page: TLS, or this machine itself."""
    return request.url.scheme == "https" or (request.url.hostname or "") in LOOPBACK_NAMES


def cookie_name(request: Request, name: str) -> str:
    """The cookie's name: `__Host-` first wherever the page's address allows it."""
    return HOST_PREFIX + name if secure(request) else name


def cookie(request: Request, name: str) -> str:
    """The value of one of the desk's cookies, '' when there is none."""
    return request.cookies.get(cookie_name(request, name), "")


def set_cookie(response: Response, request: Request, name: str, value: str) -> None:
    """A cookie that scripts cannot read and other sites cannot send or set."""
    response.set_cookie(
        cookie_name(request, name),
        value,
        httponly=True,
        samesite="strict",
        secure=secure(request),
        path="/",
    )


def drop_cookie(response: Response, request: Request, name: str) -> None:
    """Remove a cookie (a `__Host-` one only goes with the same attributes)."""
    response.delete_cookie(
        cookie_name(request, name),
        path="/",
        secure=secure(request),
        httponly=True,
        samesite="strict",
    )


def login_token(request: Request) -> str:
    """The CSRF token of the login form, from its cookie or new."""
    return cookie(request, LOGIN_COOKIE) or secrets.token_urlsafe(32)


def current_session(request: Request) -> Session | None:
    """The session of the request's cookie, unless it has ended (or its user has changed)."""
    token = cookie(request, SESSION_COOKIE)
    if not token:
        return None
    desk = desk_of(request)
    try:
        hashes = desk.users().hashes
    except LeafletError:
        hashes = {}  # a damaged users file lets no one in
    return desk.sessions.find(token, hashes)


async def read_form(request: Request) -> dict[str, str] | None:
    """The form of a POST, or None when the body is larger than any desk form."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return None
    return parse_form(body)


def staff(handler: Handler) -> Endpoint:
    """A page for logged-in staff; a POST must carry the session's CSRF token."""

    @wraps(handler)
    async def endpoint(request: Request) -> Response:
        session = current_session(request)
        if session is None:
            if request.method == "POST":
                return problem(request, desk_of(request).texts["session_ended"], 403, None)
            return RedirectResponse("/login", status_code=303)
        form: dict[str, str] = {}
        if request.method == "POST":
            form = await read_form(request) or {}
            if not same_token(form.get("csrf", ""), session.csrf):
                return problem(request, desk_of(request).texts["error_csrf"], 403, session)
        return await run_in_threadpool(handler, desk_of(request), request, session, form)

    return endpoint


class SecurityHeaders:
    """Adds the security headers to every response, and keeps pages out of caches."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"server"]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                if scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-cache"))
                else:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class Contained:
    """Turns an unexpected failure into a calm page and one log line (a traceback with --debug)."""

    def __init__(self, app: ASGIApp, debug: bool = False) -> None:
        self.app = app
        self.debug = debug

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as error:
            # Only the kind of failure: its text could quote what a patient's form held.
            log.error("%s %s failed: %s", scope["method"], scope["path"], type(error).__name__)
            if self.debug:
                log.error("%s", traceback.format_exc())
            if not started:
                request = Request(scope)
                message = desk_of(request).texts["error_unexpected"]
                await problem(request, message, 500, None)(scope, receive, send)
