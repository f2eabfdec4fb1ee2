"""Starting the desk: open the catalogue, then serve the page with uvicorn."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leaflets.config.profile import load_profile
from leaflets.desk.audit import audit_file_beside
from leaflets.desk.catalogue import Catalogue
from leaflets.desk.state import Desk, DeskPaths

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
Report = Callable[[str], None]

# uvicorn's own messages go to stderr; its access log stays off, so that no address line,
# query or form of any request is ever written down.
LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s: %(message)s"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "uvicorn.error": {"level": "INFO"},
        "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "leaflets.desk": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}


@dataclass(frozen=True)
class Listen:
    """Where the desk listens, and its TLS certificate when it serves HTTPS itself."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    certfile: Path | None = None
    keyfile: Path | None = None

    @property
    def address(self) -> str:
        """The page's address."""
        scheme = "https" if self.certfile else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{host}:{self.port}"


def served_hosts(host: str) -> tuple[str, ...]:
    """The names the desk answers to: this machine's, the address it listens on, and for an
    address of every interface, the computer's own name."""
    from leaflets.desk.web import LOOPBACK_NAMES

    names = [*LOOPBACK_NAMES, f"[{host}]" if ":" in host else host]
    if host in ("0.0.0.0", "::"):
        names += [socket.gethostname(), socket.getfqdn()]
    return tuple(dict.fromkeys(name.lower() for name in names))


def open_desk(content: Path, output: Path, clinic: Path, users: Path, debug: bool) -> Desk:
    """A desk on these folders, its catalogue not yet built."""
    profile = load_profile(clinic if clinic.exists() else None)
    paths = DeskPaths(content, output, users, audit_file_beside(users))
    return Desk(paths, profile, Catalogue(content, output, profile), debug=debug)


def serve(desk: Desk, listen: Listen, report: Report) -> None:
    """Build what changed, then serve the page until interrupted."""
    import uvicorn

    from leaflets.desk.app import create_app
    from leaflets.desk.connections import KEEP_ALIVE_SECONDS, LIMIT_CONCURRENCY, DeskProtocol

    try:
        for problem in desk.catalogue.refresh():
            report(f"warning: {problem.message}")
        report(
            f"the reception desk is at {listen.address} ({len(desk.catalogue.records())} leaflets)"
        )
        config = uvicorn.Config(
            create_app(desk, served_hosts(listen.host)),
            host=listen.host,
            port=listen.port,
            http=DeskProtocol,
            timeout_keep_alive=KEEP_ALIVE_SECONDS,
            limit_concurrency=LIMIT_CONCURRENCY,
            log_config=LOG_CONFIG,
            access_log=False,
            server_header=False,
            proxy_headers=True,
            ssl_certfile=str(listen.certfile) if listen.certfile else None,
            ssl_keyfile=str(listen.keyfile) if listen.keyfile else None,
        )
        uvicorn.Server(config).run()
    finally:
        desk.catalogue.close()
