"""The desk's web application: its routes, static files and the middleware around them."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from leaflets.desk import (
    action_routes,
    auth_routes,
    basket_handout_routes,
    basket_routes,
    infobutton,
    leaflet_routes,
)
from leaflets.desk.state import Desk
from leaflets.desk.web import (
    LOOPBACK_NAMES,
    STATIC,
    Contained,
    SecurityHeaders,
    current_session,
    problem,
)


async def not_found(request: Request, _error: Exception) -> Response:
    """A 404 page in the desk's language."""
    texts = request.app.state.desk.texts
    return problem(request, texts["error_not_found"], 404, current_session(request))


async def not_allowed(request: Request, _error: Exception) -> Response:
    """A 405 for a GET where only a POST is meant, and the other way round."""
    texts = request.app.state.desk.texts
    return problem(request, texts["error_not_found"], 405, current_session(request))


ROUTES = [
    Route("/login", auth_routes.show_login, methods=["GET"]),
    Route("/login", auth_routes.log_in, methods=["POST"]),
    Route("/logout", auth_routes.log_out, methods=["POST"]),
    Route("/password", auth_routes.show_password, methods=["GET"]),
    Route("/password", auth_routes.set_password, methods=["POST"]),
    Route("/", leaflet_routes.start, methods=["GET"]),
    Route("/search", leaflet_routes.search, methods=["GET"]),
    Route("/log", leaflet_routes.log_page, methods=["GET"]),
    Route("/theme.css", leaflet_routes.theme, methods=["GET"]),
    Route("/leaflet/{slug}", leaflet_routes.leaflet, methods=["GET"]),
    Route("/leaflet/{slug}/leaflet.pdf", leaflet_routes.pdf, methods=["GET"]),
    Route("/leaflet/{slug}/page-{page:int}.png", leaflet_routes.page, methods=["GET"]),
    Route("/leaflet/{slug}/print", action_routes.print_leaflet, methods=["POST"]),
    Route("/leaflet/{slug}/send", action_routes.send_leaflet, methods=["POST"]),
    Route("/basket", basket_routes.show, methods=["GET"]),
    Route("/basket/add", basket_routes.add, methods=["POST"]),
    Route("/basket/bundle", basket_routes.add_bundle, methods=["POST"]),
    Route("/basket/change", basket_routes.change, methods=["POST"]),
    Route("/basket/remove", basket_routes.remove, methods=["POST"]),
    Route("/basket/empty", basket_routes.empty, methods=["POST"]),
    Route("/basket/print", basket_handout_routes.print_all, methods=["POST"]),
    Route("/basket/send", basket_handout_routes.send_all, methods=["POST"]),
    *infobutton.ROUTES,
    Mount("/static", StaticFiles(directory=STATIC), name="static"),
]


def create_app(desk: Desk, hosts: tuple[str, ...] = LOOPBACK_NAMES) -> Starlette:
    """The application for one desk, answering only to the host names in `hosts`.

    Another name in the Host header (a DNS-rebinding page's own, say) gets a 400.
    """
    app = Starlette(
        routes=ROUTES,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts), www_redirect=False),
            Middleware(Contained, debug=desk.debug),
        ],
        exception_handlers={404: not_found, 405: not_allowed},
    )
    app.state.desk = desk
    return app
