"""How fast the desk answers an Infobutton request among 500 leaflets, over HTTP.

    .venv/bin/python benchmarks/infobutton_bench.py

The desk holds 500 leaflet records, as a refresh would describe 500 built leaflets: each with
an ICPC-2 and an SKS code, every third with an English translation. Building 500 PDFs would
only time the build again. One line: the median answer to `L03` in English (target 50 ms).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from leaflets.config.tokens import make_token, tokens_file_beside  # noqa: E402
from leaflets.desk.records import LeafletRecord  # noqa: E402
from leaflets.desk.server import open_desk  # noqa: E402
from leaflets.desk.state import Desk  # noqa: E402
from tests.smtp_servers import free_port  # noqa: E402

TARGET = 0.050
RUNS = 200
LEAFLETS = 500
ICPC2 = ["L01", "L02", "L03", "L04", "L08", "L15", "L18", "L20", "N01", "A04"]
QUERY = (
    "/infobutton?mainSearchCriteria.v.c=L03&mainSearchCriteria.v.cs=2.16.840.1.113883.6.139"
    "&informationRecipient=PAT&informationRecipient.languageCode.c=en"
)


def five_hundred() -> list[LeafletRecord]:
    """500 leaflets with codes, every third translated into English."""
    records = []
    for number in range(LEAFLETS):
        slug, code = f"bench-{number}", ICPC2[number % len(ICPC2)]
        codes = [f"icpc2:{code}", f"sks:DM{number % 90 + 10}"]
        key = f"{number:064x}:{number:064x}"
        records.append(
            LeafletRecord(slug, f"Smerter {number}", f"/nowhere/{slug}.md", f"{slug}.pdf", key,
                          content_hash=f"{number:064x}", codes=codes, published="2025-02-19")
        )  # fmt: skip
        if number % 3 == 0:
            records.append(
                LeafletRecord(f"{slug}.en", f"Pain {number}", f"/nowhere/{slug}.en.md",
                              f"{slug}.en.pdf", key, language="en", codes=codes,
                              translation_of=slug)
            )  # fmt: skip
    return records


@contextmanager
def serve(desk: Desk, port: int) -> Iterator[None]:
    """The desk's app under uvicorn in a thread, for the duration of the block."""
    import uvicorn

    from leaflets.desk.app import create_app

    config = uvicorn.Config(create_app(desk), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="infobutton-bench-") as folder:
        base = Path(folder)
        (base / "content").mkdir()
        users = base / "desk-users.toml"
        desk = open_desk(base / "content", base / "output", base / "clinic.toml", users, False)
        # The catalogue's own table, as a refresh would fill it for 500 built leaflets.
        desk.catalogue._records = {
            **desk.catalogue._records,
            **{record.slug: record for record in five_hundred()},
        }
        token = make_token(tokens_file_beside(users), "bench")
        port = free_port()
        request = urllib.request.Request(f"http://127.0.0.1:{port}{QUERY}")
        request.add_header("Authorization", f"Bearer {token}")
        with serve(desk, port):
            times = []
            for _run in range(RUNS):
                start = time.perf_counter()
                with urllib.request.urlopen(request, timeout=30) as answer:
                    answer.read()
                times.append(time.perf_counter() - start)
        desk.catalogue.close()
    median = statistics.median(times)
    verdict = "ok" if median <= TARGET else "SLOW"
    print(
        f"infobutton among {LEAFLETS} leaflets: median {median * 1000:.1f} ms"
        f" (target {TARGET * 1000:.0f} ms) {verdict}"
    )
    return 0 if median <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
