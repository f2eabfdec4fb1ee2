"""Timings of the reception desk, against the real server and the private CUPS scheduler.

    .venv/bin/python benchmarks/desk_bench.py

1. search: a query answered by GET /search while 500 leaflets are indexed (limit 50 ms);
2. leaflet page: an up-to-date leaflet's page and every page image (limit 150 ms);
3. print: an up-to-date edition (standard, large print, booklet in turn) from the print
   form's POST until CUPS has accepted the job (limit 300 ms);
4. basket print: three up-to-date leaflets in the basket printed as one job by POST
   /basket/print, until CUPS has accepted it (limit 600 ms).

The 500 leaflets of the search timing are index records made from the corpus and content/
texts under 500 titles; building 500 PDFs would only measure the build again.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from leaflets.config.defaults import CONTENT_DIR, PROJECT_ROOT  # noqa: E402
from leaflets.desk.records import LeafletRecord  # noqa: E402
from leaflets.desk.server import open_desk  # noqa: E402
from leaflets.desk.state import Desk  # noqa: E402
from leaflets.desk.users import add_user  # noqa: E402
from tests.cups_server import CupsServer, start_server  # noqa: E402

CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
TARGETS = {"search": 0.050, "leaflet page": 0.150, "print": 0.300, "basket print": 0.600}
BASKET = ["baekkensmerter", "baekkensmerter-hofte", "baekkensmerter-ryg"]
RUNS = 10
QUERIES = ["bækken", "knæ", "ryg", "smerter i", "løb", "skulder", "motion", "træning"]
PRINTER = "bench-pdf"
PASSWORD = "bench-password"


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


class Browser:
    """Cookies and forms over urllib, as a browser would send them."""

    def __init__(self, base: str, audit: Path) -> None:
        self.base = base
        self.audit = audit  # the desk's audit log, where each print's job is written
        # Browsers keep the desk's Secure `__Host-` cookies on http://127.0.0.1, a secure
        # origin to them; Python's cookie jar sends Secure cookies over https only unless told.
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar(policy))
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as answer:
            return answer.read().decode("utf-8", "replace")

    def post(self, path: str, form: dict[str, str] | dict[str, str | list[str]]) -> str:
        data = urllib.parse.urlencode(form, doseq=True).encode()
        with self.opener.open(self.base + path, data=data, timeout=60) as answer:
            return answer.read().decode("utf-8", "replace")

    def log_in(self) -> None:
        token = csrf(self.get("/login"))
        self.post("/login", {"csrf": token, "name": "bench", "password": PASSWORD})


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def timed(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _run in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return times


def five_hundred(desk: Desk) -> None:
    """500 leaflets in the index and the catalogue, from real article texts."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.rglob("*.md"))]
    texts += [path.read_text(encoding="utf-8") for path in sorted(CONTENT_DIR.glob("*.md"))]
    words = ["Bækken", "Knæ", "Ryg", "Skulder", "Nakke", "Hofte", "Fod", "Albue", "Håndled"]
    records = []
    for number in range(500):
        title = f"{words[number % len(words)]}smerter {number}"
        body = " ".join(texts[number % len(texts)].split())[:20_000]
        key = f"{number:064x}:{number:064x}"
        slug = f"bench-{number}"
        records.append(
            LeafletRecord(slug, title, f"/nowhere/{slug}.md", f"{slug}.pdf", key, body=body)
        )
    desk.catalogue.index.put(records)
    # The catalogue's own table, as a refresh would fill it for 500 built leaflets.
    desk.catalogue._records = {
        **desk.catalogue._records,
        **{record.slug: record for record in records},
    }


def report(name: str, times: list[float]) -> str:
    median, worst = statistics.median(times), max(times)
    verdict = "ok" if median <= TARGETS[name] else "SLOW"
    return (
        f"{name:<13} median {median * 1000:7.1f} ms   max {worst * 1000:7.1f} ms   "
        f"limit {TARGETS[name] * 1000:5.0f} ms   {verdict}"
    )


@contextlib.contextmanager
def printer() -> Iterator[CupsServer]:
    cups = start_server()
    try:
        cups.add_pdf_printer(PRINTER)
        yield cups
    finally:
        cups.stop()


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="desk-bench-"))
    try:
        return run(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(folder: Path) -> int:
    import os

    content = folder / "content"
    content.mkdir()
    example = (CONTENT_DIR / "baekkensmerter.md").read_text(encoding="utf-8")
    # The basket's three leaflets: the example, and two more of its length under other titles.
    for slug in BASKET:
        title = slug.replace("baekkensmerter", "Bækkensmerter").replace("-", " og ")
        text = example.replace("title: Bækkensmerter", f"title: {title}", 1)
        (content / f"{slug}.md").write_text(text, encoding="utf-8")
    users = folder / "desk-users.toml"
    add_user(users, "bench", PASSWORD)
    with printer() as cups:
        os.environ["CUPS_SERVER"] = str(cups.socket)
        desk = open_desk(content, folder / "output", PROJECT_ROOT / "clinic.toml", users, False)
        desk.catalogue.refresh()
        port = 8700 + os.getpid() % 200
        with contextlib.contextmanager(serve)(desk, port):
            browser = Browser(f"http://127.0.0.1:{port}", desk.paths.audit)
            browser.log_in()
            lines = measure(desk, browser, cups)
        desk.catalogue.close()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print("\n".join([*lines, f"load average during the run: {load} ({os.cpu_count()} CPUs)"]))
    return 0


def measure(desk: Desk, browser: Browser, cups: CupsServer) -> list[str]:
    pages = desk.catalogue.record("baekkensmerter")
    assert pages is not None
    images = [f"/leaflet/baekkensmerter/page-{n}.png" for n in range(1, pages.pages + 1)]

    def leaflet_page() -> None:
        browser.get("/leaflet/baekkensmerter")
        for image in images:
            browser.get(image)

    leaflet_page()
    page_times = timed(leaflet_page, 20)
    print_times = print_timings(browser, cups)
    basket = basket_timings(browser, cups)
    five_hundred(desk)
    queries = iter(QUERIES * 10)
    search_times = timed(lambda: browser.get(f"/search?q={urllib.parse.quote(next(queries))}"), 80)
    return [
        report("search", search_times),
        report("leaflet page", page_times),
        report("print", print_times),
        report("basket print", basket),
    ]


def print_timings(browser: Browser, cups: CupsServer) -> list[float]:
    """Up-to-date editions printed from the leaflet's form, each built once beforehand: from
    the POST until the desk answers, CUPS having taken the job."""
    variants = ["standard", "large", "booklet"]
    for variant in variants:  # the large print and the booklet are built on their first print
        cups.wait_for_job(posted_job(browser, "/leaflet/baekkensmerter/print", variant)[0])
    times = []
    for number in range(RUNS):
        job, seconds = posted_job(browser, "/leaflet/baekkensmerter/print", variants[number % 3])
        times.append(seconds)
        cups.wait_for_job(job)
    return times


def posted_job(browser: Browser, path: str, variant: str) -> tuple[str, float]:
    """The job a print form's POST handed to CUPS ('' when it names none), and its seconds."""
    form: dict[str, str | list[str]] = {
        "csrf": csrf(browser.get("/")),
        "copies": "1",
        "variant": variant,
        "printer": PRINTER,
    }
    before = len(audit_lines(browser.audit))
    start = time.perf_counter()
    answer = browser.post(path, form)
    seconds = time.perf_counter() - start
    job = printed_job(audit_lines(browser.audit)[before:])
    assert job, answer[-2000:]
    return job, seconds


def audit_lines(audit: Path) -> list[str]:
    return audit.read_text(encoding="utf-8").splitlines() if audit.is_file() else []


def printed_job(lines: list[str]) -> str:
    """The CUPS job of the print these audit entries record, '' when none was printed."""
    import json

    entries = [json.loads(line) for line in lines]
    return next((str(e["job"]) for e in entries if e.get("action") == "printed"), "")


def basket_timings(browser: Browser, cups: CupsServer) -> list[float]:
    """Three leaflets in the basket printed as one job, each edition built once beforehand: from
    the POST until the desk answers, CUPS having taken the job."""
    for slug in BASKET:
        browser.post("/basket/add", {"csrf": csrf(browser.get("/basket")), "slug": slug})
    cups.wait_for_job(posted_job(browser, "/basket/print", "standard")[0])
    times = []
    for _run in range(RUNS):
        job, seconds = posted_job(browser, "/basket/print", "standard")
        times.append(seconds)
        cups.wait_for_job(job)
    return times


if __name__ == "__main__":
    raise SystemExit(main())
