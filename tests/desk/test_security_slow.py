"""Slow clients: hundreds of connections that send a request a byte at a time neither keep
staff out nor hold the desk's file descriptors; each is closed when its request is overdue."""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator

import pytest

from leaflets.desk.connections import MAX_CONNECTIONS

from .live import CSRF, PRINTER, Site, running_site

SLOW = 300
# How long a slow socket waits for the desk to close it: far beyond the request deadline.
CLOSE_WAIT_SECONDS = 120


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with running_site(tmp_path_factory.mktemp("slow"), printing=True) as running:
        yield running


@pytest.fixture
def slow_sockets(site: Site) -> Iterator[list[socket.socket]]:
    """SLOW connections, each having sent the start of a request and no more."""
    opened: list[socket.socket] = []
    try:
        for _number in range(SLOW):
            one = socket.create_connection(("127.0.0.1", site.port), timeout=30)
            one.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            opened.append(one)
        yield opened
    finally:
        for one in opened:
            one.close()


def open_descriptors(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def closed_by_the_desk(one: socket.socket) -> bool:
    """Whether the desk closes the connection (it sends nothing, or a reset), waiting for it."""
    one.settimeout(CLOSE_WAIT_SECONDS)
    try:
        return one.recv(1024) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def test_staff_log_in_and_print_among_slow_connections(
    site: Site, slow_sockets: list[socket.socket]
) -> None:
    for one in slow_sockets[::10]:
        with contextlib.suppress(OSError):  # closed already, to make room
            one.sendall(b"a")  # a byte now and then, as a slow client does
    assert open_descriptors(site.pid()) < MAX_CONNECTIONS + 100
    client = site.client()
    assert client.log_in().status == 303
    found = CSRF.search(client.get("/leaflet/knaesmerter").text)
    assert found
    form = {"csrf": found.group(1), "copies": "1", "variant": "standard", "printer": PRINTER}
    printed = client.post("/leaflet/knaesmerter/print", form)
    assert printed.status == 200 and "Sendt til printeren" in printed.text
    assert all(closed_by_the_desk(one) for one in slow_sockets[-20:])
    assert open_descriptors(site.pid()) < 100


def test_an_idle_connection_after_an_answer_is_closed(site: Site) -> None:
    with socket.create_connection(("127.0.0.1", site.port), timeout=30) as one:
        one.sendall(b"GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert one.recv(65536).startswith(b"HTTP/1.1 200")
        one.sendall(b"G")  # the next request begins, and never ends
        answer = b""
        one.settimeout(CLOSE_WAIT_SECONDS)
        while chunk := one.recv(65536):
            answer += chunk
        assert b"HTTP/1.1 200" not in answer
