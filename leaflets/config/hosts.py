"""The one rule for a host that is this machine: the mail server and the desk both ask it."""

from __future__ import annotations

import ipaddress


def is_local_host(host: str) -> bool:
    """Whether `host` is this machine only: localhost (any case), 127.0.0.0/8 or ::1."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
