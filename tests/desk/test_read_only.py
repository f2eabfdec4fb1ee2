"""A desk whose output folder cannot be written (a read-only mount) starts, serves the leaflets
that exist, and says in plain Danish what it cannot do. The mount lives in a private mount
namespace of the desk's own, and vanishes with it."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from leaflets.config.defaults import PROJECT_ROOT

from ..desk_browser import add_user, desk_env, free_port, write_site
from .live import Client

NOTICE = "Mappen med foldere kan ikke skrives lige nu."


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
             "mount -t tmpfs -o size=4k probe /mnt"]  # fmt: skip
    return subprocess.run(probe, capture_output=True, timeout=30).returncode == 0


pytestmark = pytest.mark.skipif(
    not _namespaces_work(), reason="cannot mount in a private namespace here (needs root)"
)


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    folder = tmp_path_factory.mktemp("read-only-desk")
    clinic = write_site(folder, smtp_port=free_port())
    add_user(clinic)
    out = folder / "output"
    make_leaflet = [sys.executable, str(PROJECT_ROOT / "make_leaflet.py")]
    built = subprocess.run(
        [*make_leaflet, "build", str(folder / "content"), "-o", str(out), "--clinic", str(clinic)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert (out / "baekkensmerter.pdf").is_file(), built.stderr
    before = sorted(path.name for path in out.iterdir())
    port = free_port()
    desk = [*make_leaflet, "desk", "--port", str(port), "--content", str(folder / "content"),
            "--out", str(out), "--clinic", str(clinic)]  # fmt: skip
    read_only = f"mount --bind {out} {out} && mount -o remount,bind,ro {out}"
    script = f"{read_only} && exec {shlex.join(desk)}"
    log = folder / "desk.log"
    process = subprocess.Popen(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", script],
        stdout=subprocess.DEVNULL, stderr=log.open("wb"), env=desk_env(folder),
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 90
        while "Uvicorn running" not in log.read_text(errors="replace"):
            assert process.poll() is None, f"the desk stopped: {log.read_text(errors='replace')}"
            assert time.monotonic() < deadline, f"no start: {log.read_text(errors='replace')}"
            time.sleep(0.3)
        client = Client(port)
        assert client.log_in().status == 303
        yield client
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert sorted(path.name for path in out.iterdir()) == before  # nothing was written


def test_the_desk_starts_and_says_what_it_cannot_do(desk: Client) -> None:
    page = desk.get("/")
    assert page.status == 200
    assert NOTICE in page.text
    assert "Bækkensmerter" in page.text
    assert "read-only" not in page.text and "/output" not in page.text


def test_a_leaflet_that_exists_is_still_served(desk: Client) -> None:
    page = desk.get("/leaflet/baekkensmerter")
    assert page.status == 200
    assert NOTICE in page.text
