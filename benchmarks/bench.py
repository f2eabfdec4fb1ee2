"""Speed and memory of leaflet builds against the engine alone, pandoc, Chromium and Typst.

Run with `make bench`. Every number comes from this one session on this machine: medians
over RUNS runs (at least 5), each round timing every route once so that all share the load,
and ratios between medians. The corpus is copied into a temporary folder.

`python benchmarks/bench.py --only floor,watch,edition,single,noop,memory` runs only those
measurements (any of them) and prints their rows instead of writing RESULTS.md.

BENCH_BASELINE names a checkout of an earlier commit whose CPU seconds per warm leaflet are
measured in the same session, as the baseline of that target; without it, the baseline is
the value recorded below.
"""

from __future__ import annotations

import json
import os
import platform
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflets.config.defaults import CONTENT_DIR  # noqa: E402

if TYPE_CHECKING:
    from tests.cups_server import CupsServer

CORPUS = Path(os.environ.get("LEAFLETS_CORPUS", ROOT.parent / "shared" / "corpus"))
EXAMPLE = CONTENT_DIR / "baekkensmerter.md"
# A longer corpus article, fitted from five pages to four, for the profile beside the example.
LONG_ARTICLE = "forstuvet-ankel.md"
START_LOAD = " ".join(f"{x:.2f}" for x in os.getloadavg())
RUNS = max(5, int(os.environ.get("BENCH_RUNS", "5")))
CATALOGUE_SIZE = int(os.environ.get("BENCH_ARTICLES", "30"))
BIN = Path(sys.executable).parent
PYTHON = sys.executable
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BASELINE = Path(os.environ["BENCH_BASELINE"]) if os.environ.get("BENCH_BASELINE") else None
# CPU seconds per leaflet in a warm worker (example article, full identity) on main at
# 70d6672, before the speed work: median of 7 builds, measured with benchmarks/warm_cpu.py.
RECORDED_BASELINE_CPU = 0.138
# The same PDF options as a leaflet build, so that the engine alone does the same work.
WEASYPRINT_OPTIONS = ["--pdf-tags", "--optimize-images", "-j", "80", "-D", "200"]


@dataclass
class Measure:
    """The median wall time of a command over RUNS runs."""

    name: str
    seconds: float
    runs: list[float]
    note: str = ""


@dataclass
class Target:
    """A goal from the brief, with what was measured."""

    name: str
    limit: str
    ratio: float | None
    met: bool | None
    detail: str
    why: str = ""


def run(
    command: list[str | Path],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> float:
    """Wall time of one run of `command`."""
    start = time.perf_counter()
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    took = time.perf_counter() - start
    if check and result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed: {result.stderr[-800:]}")
    return took


Route = tuple[str, Callable[[], float]]


def interleaved(routes: dict[str, Route]) -> dict[str, Measure]:
    """Medians of RUNS rounds, each round timing every route once, so all share the load."""
    times: dict[str, list[float]] = {key: [] for key in routes}
    for _ in range(RUNS):
        for key, (_label, once) in routes.items():
            times[key].append(once())
    found = {}
    for key, (label, _once) in routes.items():
        found[key] = Measure(label, statistics.median(times[key]), times[key])
        runs = ", ".join(f"{t:.2f}" for t in times[key])
        print(f"  {label:<58} {found[key].seconds:8.3f} s   runs: {runs}", flush=True)
    return found


def tool_env() -> dict[str, str]:
    """PATH with the virtualenv first, so that pandoc finds our weasyprint."""
    return {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}"}


def pandoc_path() -> str:
    """The pandoc 3 binary that pypandoc-binary ships."""
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def chromium_path() -> str | None:
    """Debian's chromium, when installed."""
    return shutil.which("chromium")


def make_corpus(folder: Path, size: int = CATALOGUE_SIZE) -> list[Path]:
    """The example plus real articles (with a title), `size` in all, distinct names."""
    folder.mkdir(parents=True)
    chosen = [Path(shutil.copy(EXAMPLE, folder / EXAMPLE.name))]
    candidates = sorted(CORPUS.rglob("*.md")) if CORPUS.is_dir() else []
    for path in candidates:
        if len(chosen) == size:
            break
        text = path.read_text("utf-8", "replace")
        if (folder / path.name).exists() or not re.search(r"^(meta)?[tT]itle:", text, re.M):
            continue
        chosen.append(Path(shutil.copy(path, folder / path.name)))
    if len(chosen) < 24:
        sys.exit(f"need at least 24 articles; found {len(chosen)} (is {CORPUS} there?)")
    return chosen


def leaflet_command(*args: str | Path) -> list[str | Path]:
    """Our CLI."""
    return [PYTHON, ROOT / "make_leaflet.py", *args]


def typst_compile_command(source: Path, target: Path) -> list[str | Path]:
    """Typst from PyPI, from a cold interpreter, as a user would script it."""
    code = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])"
    return [PYTHON, "-c", code, source, target]


def single_leaflet(work: Path, only: set[str] | None = None) -> dict[str, Measure]:
    """One leaflet from a cold start, by every route (or the `only` ones)."""
    print("single leaflet, cold start")
    out = work / "single"
    out.mkdir()
    html = out / "baekkensmerter.html"
    run(leaflet_command("build", EXAMPLE, "-o", out / "ours.pdf", "--html", "--force"))
    shutil.move(out / "ours.html", html)
    env = tool_env()
    pandoc = pandoc_path()
    routes: dict[str, Route] = {
        "ours": (
            "our CLI (make_leaflet.py build ARTICLE)",
            lambda: run(leaflet_command("build", EXAMPLE, "-o", out / "ours.pdf", "--force")),
        ),
        "weasyprint": (
            "weasyprint CLI on our HTML (the floor)",
            lambda: run([BIN / "weasyprint", *WEASYPRINT_OPTIONS, html, out / "wp.pdf"]),
        ),
        "pandoc": (
            "pandoc ARTICLE --pdf-engine=weasyprint",
            lambda: run(
                [pandoc, EXAMPLE, "-o", out / "pandoc.pdf", "--pdf-engine=weasyprint"], env=env
            ),
        ),
        "typst": (
            "pandoc -t typst, then typst (PyPI)",
            lambda: (
                run([pandoc, EXAMPLE, "-s", "-t", "typst", "-o", out / "t.typ"])
                + run(typst_compile_command(out / "t.typ", out / "typst.pdf"))
            ),
        ),
    }
    chromium = chromium_path()
    if chromium:

        def chromium_once() -> float:
            profile = Path(tempfile.mkdtemp(dir=work))
            return run(
                [
                    chromium,
                    *CHROMIUM_FLAGS,
                    f"--user-data-dir={profile}",
                    f"--print-to-pdf={out / 'chromium.pdf'}",
                    html.as_uri(),
                ]
            )

        routes["chromium"] = ("chromium --headless --print-to-pdf on our HTML", chromium_once)
    return interleaved({key: route for key, route in routes.items() if not only or key in only})


def shell_loop(articles: Path, out: Path, body: str) -> list[str]:
    """A POSIX shell loop over the articles, as a user would write it."""
    script = f'for f in "{articles}"/*.md; do n=$(basename "$f" .md); {body}; done'
    return ["sh", "-c", script]


def catalogue(work: Path, articles: Path) -> dict[str, Measure]:
    """The whole folder, by our parallel build and by shell loops of the other routes."""
    print(f"catalogue of {len(list(articles.glob('*.md')))} articles")
    env = tool_env()
    pandoc = pandoc_path()
    typst_code = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])"
    loops = work / "loops"
    loops.mkdir()
    routes = catalogue_routes(articles, work)
    routes |= {
        "pandoc": (
            "shell loop: pandoc --pdf-engine=weasyprint",
            lambda: run(
                shell_loop(
                    articles,
                    loops,
                    f'"{pandoc}" "$f" -o "{loops}/$n.pdf" --pdf-engine=weasyprint 2>/dev/null',
                ),
                env=env,
                check=False,
            ),
        ),
        "typst": (
            "shell loop: pandoc -t typst, then typst (PyPI)",
            lambda: run(
                shell_loop(
                    articles,
                    loops,
                    f'"{pandoc}" "$f" -s -t typst -o "{loops}/$n.typ" '
                    f'2>/dev/null && "{PYTHON}" -c "{typst_code}" "{loops}/$n.typ" '
                    f'"{loops}/$n.pdf" 2>/dev/null',
                ),
                check=False,
            ),
        ),
    }
    return interleaved(routes)


@dataclass
class Timeline:
    """When a full catalogue build printed what: seconds from the command's start."""

    first: float  # the first leaflet written: Python, the CLI, the fork server, one layout
    last: float  # the last leaflet written
    index: float  # index.pdf written
    end: float  # the command gone, its workers with it
    leaflets: int


def catalogue_timeline(articles: Path, work: Path) -> Timeline:
    """The median timeline of RUNS full builds, read off the lines the CLI prints."""
    runs = [_one_timeline(articles, work / "timeline") for _ in range(RUNS)]
    middle = {
        name: statistics.median(getattr(run, name) for run in runs)
        for name in ("first", "last", "index", "end")
    }
    return Timeline(**middle, leaflets=runs[0].leaflets)


def _one_timeline(articles: Path, out: Path) -> Timeline:
    command = [str(part) for part in leaflet_command("build", articles, "-o", out, "--force")]
    start = time.perf_counter()
    built: list[float] = []
    index = 0.0
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("built "):
                now = time.perf_counter() - start
                if line.rstrip().endswith("index.pdf"):
                    index = now
                else:
                    built.append(now)
    end = time.perf_counter() - start
    return Timeline(built[0], built[-1], index or built[-1], end, len(built))


def timeline_lines(found: Timeline) -> list[str]:
    """The catalogue build's timeline as RESULTS.md lines."""
    per_leaflet = (found.last - found.first) / max(1, found.leaflets - 1)
    return [
        "| moment | seconds from start |",
        "|---|---:|",
        f"| first leaflet written (Python, the CLI, each worker loading WeasyPrint on its own "
        f"core, one leaflet) | {found.first:.2f} |",
        f"| last of {found.leaflets} leaflets written (two workers: "
        f"{per_leaflet:.3f} s of wall time per leaflet) | {found.last:.2f} |",
        f"| index.pdf written (laid out in a worker beside the leaflets) | {found.index:.2f} |",
        f"| the command gone, its workers with it | {found.end:.2f} |",
    ]


def stage_profile(article: Path | None = None) -> dict[str, object]:
    """benchmarks/stages.py's profile of warm builds of `article` (the example by default)."""
    command = [PYTHON, str(ROOT / "benchmarks" / "stages.py"), "5"]
    if article is not None:
        command.append(str(article))
    found = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)
    result: dict[str, object] = json.loads(found.stdout)
    return result


def profile_lines(profiles: dict[str, dict[str, object]]) -> list[str]:
    """The stage profiles as a Markdown table, one column per article."""
    names = list(profiles)
    first = profiles[names[0]]["shares"]
    assert isinstance(first, dict)
    rows = [
        "| stage | " + " | ".join(names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for stage in first:
        cells = []
        for name in names:
            shares = profiles[name]["shares"]
            assert isinstance(shares, dict)
            cells.append(f"{100 * shares[stage]:.0f}%")
        label = stage.replace("  ", "&nbsp;&nbsp;– ", 1) if stage.startswith("  ") else stage
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    layouts = " | ".join(str(profiles[name]["layouts_per_build"]) for name in names)
    rows.append(f"| layouts per build (2 where fitting saves a sheet) | {layouts} |")
    return rows


def worker_memory(articles: Path, work: Path) -> tuple[int, str]:
    """Peak RSS of the worker processes over a full catalogue build."""
    from leaflets.builder.batch import build_jobs, build_pool
    from leaflets.builder.job import plan_jobs
    from leaflets.config.errors import collect_warnings
    from leaflets.config.options import BuildOptions, Limits
    from leaflets.config.profile import load_profile

    jobs = plan_jobs([articles], work / "memory", work / "memory")
    peaks: list[tuple[int, str]] = []
    with collect_warnings():
        profile = load_profile(ROOT / "clinic.toml")  # the full identity, as in every build
        limits = Limits(workers=2)
        with build_pool(limits, start="fork") as pool:
            for outcome in build_jobs(pool, jobs, profile, BuildOptions(), limits.timeout):
                peaks.append((outcome.peak_rss, outcome.job.source.name))
    return max(peaks)


def has_fit_option() -> bool:
    """Whether `build` has --no-fit, the switch for the fit-to-paper second layout."""
    found = subprocess.run(
        [*map(str, leaflet_command("build", "--help"))], capture_output=True, text=True
    )
    return "--no-fit" in found.stdout


def catalogue_routes(articles: Path, work: Path) -> dict[str, Route]:
    """Our full build, a no-op rebuild and (when there is one) a build without fitting."""
    out = work / "catalogue"
    routes: dict[str, Route] = {
        "ours": (
            "our CLI, full build (build DIR --force)",
            lambda: run(leaflet_command("build", articles, "-o", out, "--force"), check=False),
        ),
        "noop": (
            "our CLI, nothing changed (build DIR)",
            lambda: run(leaflet_command("build", articles, "-o", out), check=False),
        ),
    }
    if has_fit_option():
        unfitted = work / "unfitted"
        routes["nofit"] = (
            "our CLI, full build without fitting (--no-fit)",
            lambda: run(
                leaflet_command("build", articles, "-o", unfitted, "--force", "--no-fit"),
                check=False,
            ),
        )
    return routes


def copy_shared_corpus(folder: Path) -> list[Path]:
    """Every article of the shared corpus, in its own folders, for one build of all of them."""
    from leaflets.article.files import find_articles

    folders = sorted({path.parent for path in CORPUS.rglob("*.md")})
    copied = []
    for source in folders:
        articles = [path for path in find_articles(source) if path.name != "SOURCES.md"]
        if not articles:
            continue
        target = folder / source.relative_to(CORPUS)
        target.mkdir(parents=True, exist_ok=True)
        copied += [Path(shutil.copy(path, target / path.name)) for path in articles]
    return copied


def whole_corpus(work: Path) -> tuple[dict[str, Measure], int]:
    """All the shared corpus in one build, against the Typst loop over the same files."""
    articles = copy_shared_corpus(work / "corpus")
    folders = sorted({path.parent for path in articles})
    print(f"the shared corpus: {len(articles)} articles in one build")
    out = work / "corpus-out"
    loops = work / "corpus-loops"
    loops.mkdir()
    pandoc = pandoc_path()
    typst_code = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])"
    listing = work / "corpus-files.txt"
    listing.write_text("".join(f"{path}\n" for path in articles), "utf-8")
    loop = (
        f'i=0; while IFS= read -r f; do i=$((i+1)); "{pandoc}" "$f" -s -t typst '
        f'-o "{loops}/$i.typ" 2>/dev/null && "{PYTHON}" -c "{typst_code}" "{loops}/$i.typ" '
        f'"{loops}/$i.pdf" 2>/dev/null; done < "{listing}"'
    )
    routes: dict[str, Route] = {
        "ours": (
            "our CLI, every corpus article in one build (--force)",
            lambda: run(leaflet_command("build", *folders, "-o", out, "--force"), check=False),
        ),
        "typst": (
            "shell loop over the same files: pandoc -t typst, then typst",
            lambda: run(["sh", "-c", loop], check=False),
        ),
    }
    return interleaved(routes), len(articles)


# The engine's floor: WeasyPrint imported once, forked into two workers, each HTML laid out once
# with the PDF options every leaflet has; no checks, no fitting, no index.
FLOOR_CODE = """
import multiprocessing, sys
from pathlib import Path
import weasyprint

def lay_out(html):
    target = Path(sys.argv[1]) / (Path(html).stem + ".pdf")
    document = weasyprint.HTML(filename=html, base_url=sys.argv[2])
    document.write_pdf(target, pdf_variant="pdf/ua-1", pdf_tags=True)

with multiprocessing.get_context("fork").Pool(2) as pool:
    for _done in pool.imap_unordered(lay_out, sys.argv[3:]):
        pass
"""
FLOOR_ARTICLES = 24
WATCH_SAVES = 10
WATCH_LIMIT = 0.4
EDITION_LIMIT = 0.3
PRINTER = "bench-pdf"


def leaflet_output(*args: str | Path, env: dict[str, str] | None = None) -> str:
    """What our CLI printed on stdout; a failure stops the benchmark."""
    command = [str(part) for part in leaflet_command(*args)]
    found = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if found.returncode != 0:
        raise RuntimeError(f"{' '.join(command[2:4])} failed: {found.stderr[-800:]}")
    return found.stdout


def built_leaflets(output: str) -> list[Path]:
    """The leaflet PDFs named by the CLI's 'built PATH' lines, without the index."""
    paths = [Path(line[len("built ") :]) for line in output.splitlines()]
    return [path for path in paths if path.name != "index.pdf" and str(path).endswith(".pdf")]


def floor_html(articles: Path, out: Path) -> list[Path]:
    """The HTML our build writes beside each leaflet (`build DIR --html`), stylesheets linked."""
    output = leaflet_output("build", articles, "-o", out, "--html", "--force")
    built = [line for line in output.splitlines() if line.startswith("built ")]
    pages = [path.with_suffix(".html") for path in built_leaflets("\n".join(built))]
    missing = [path for path in pages if not path.is_file()]
    if missing or not pages:
        raise RuntimeError(f"`build --html` wrote no HTML beside {missing or 'its leaflets'}")
    return pages


def engine_floor(work: Path) -> dict[str, Measure]:
    """FLOOR_ARTICLES leaflets: our full build against WeasyPrint alone, forked into 2 workers."""
    articles = work / "floor-articles"
    make_corpus(articles, FLOOR_ARTICLES)
    print(f"the engine's floor: {FLOOR_ARTICLES} articles, WeasyPrint forked into 2 workers")
    pages = floor_html(articles, work / "floor-html")
    floor_out, ours_out = work / "floor-pdf", work / "floor-ours"
    floor_out.mkdir()
    base_url = (ROOT / "templates").as_uri() + "/"
    routes: dict[str, Route] = {
        "ours": (
            f"our CLI, full build of {FLOOR_ARTICLES} (build DIR --force)",
            lambda: run(leaflet_command("build", articles, "-o", ours_out, "--force")),
        ),
        "floor": (
            "WeasyPrint imported once, forked into 2 workers, our HTML",
            lambda: run([PYTHON, "-c", FLOOR_CODE, floor_out, base_url, *pages]),
        ),
    }
    return interleaved(routes)


def read_lines(stream: IO[str]) -> queue.Queue[tuple[float, str]]:
    """Each line of `stream` with the moment it arrived, read by a thread of its own."""
    lines: queue.Queue[tuple[float, str]] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put((time.perf_counter(), line.rstrip("\n")))

    threading.Thread(target=pump, daemon=True).start()
    return lines


def wait_for_line(lines: queue.Queue[tuple[float, str]], wanted: Callable[[str], bool]) -> float:
    """The moment the first wanted line arrived; two minutes without one stop the benchmark."""
    while True:
        try:
            moment, line = lines.get(timeout=120)
        except queue.Empty:
            raise RuntimeError("the watch printed no line it was waited for in 120 s") from None
        if wanted(line):
            return moment


def settle(lines: queue.Queue[tuple[float, str]], quiet: float = 3.0) -> None:
    """Read lines until the index is built or none has come for `quiet` seconds."""
    while True:
        try:
            _moment, line = lines.get(timeout=quiet)
        except queue.Empty:
            return
        if line.startswith("built ") and line.endswith("index.pdf"):
            return


def save_edit(article: Path, text: str, number: int) -> float:
    """Write the article with a space after its body on even saves, as it was on odd ones."""
    start = time.perf_counter()
    article.write_text(text + " " if number % 2 == 0 else text, "utf-8")
    return start


def living_in_group(group: int) -> list[int]:
    """The processes of a process group that still run (zombies left out)."""
    living = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            living.append(int(stat.parent.name))
    return living


def stop_watch(process: subprocess.Popen[str]) -> None:
    """SIGINT, as Ctrl+C; then make sure the command and every process it started are gone."""
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired as late:
        process.kill()
        process.wait()
        # Chained, so that what went wrong before the watch was stopped is shown too.
        raise RuntimeError("watch did not stop within 30 s of SIGINT") from late
    # A worker may take a moment to notice its parent is gone: 2 s, as the tool promises.
    # A dead one may linger as a zombie until init reaps it; that is no process left behind.
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        if not living_in_group(process.pid):
            return
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    raise RuntimeError("watch left processes behind 2 s after SIGINT")


@dataclass
class Watch:
    """Saves to a warm `watch DIR`, timed to its lines about one leaflet."""

    measure: Measure  # from the save to the leaflet's 'built' line
    seen: float  # median from the save to the 'changed:' line: the watch noticing it


def watch_rebuilds(work: Path, saves: int = WATCH_SAVES) -> Watch:
    """Save to 'built' for one leaflet in a warm `watch DIR`: the median of `saves` saves."""
    articles = work / "watch-articles"
    chosen = make_corpus(articles, FLOOR_ARTICLES)
    article, text = chosen[0], chosen[0].read_text("utf-8")
    print(f"watch: save to built for {article.name}, {saves} saves")
    command = [str(part) for part in leaflet_command("watch", articles, "-o", work / "watch-out")]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, to check that all of it ends
    )
    assert process.stdout is not None
    times, seen = [], []
    try:
        lines = read_lines(process.stdout)
        wait_for_line(lines, lambda line: line.startswith("watching "))
        settle(lines)
        is_built = re.compile(rf"^built .*/{re.escape(article.stem)}\.pdf$").match
        for number in range(saves):
            start = save_edit(article, text, number)
            seen.append(wait_for_line(lines, lambda line: line.startswith("changed: ")) - start)
            times.append(wait_for_line(lines, lambda line: bool(is_built(line))) - start)
            settle(lines)
    finally:
        stop_watch(process)
    measure = Measure("watch DIR: save to 'built' for one leaflet", statistics.median(times), times)
    found = Watch(measure, statistics.median(seen))
    print(
        f"  {measure.name:<58} {measure.seconds:8.3f} s   runs: {runs_text(times)}; "
        f"'changed:' after {found.seen:.3f} s"
    )
    return found


def runs_text(times: list[float]) -> str:
    """'0.21, 0.19, ...'."""
    return ", ".join(f"{t:.2f}" for t in times)


@dataclass
class Edition:
    """Printing a large-print edition that is already built, on the private CUPS scheduler."""

    measure: Measure
    rebuilt: int  # runs in which the command said 'built' instead of 'up to date:'
    touched: int  # runs in which the kept PDF's modification time changed
    lp: float  # median of `lp` alone sending the same PDF: the part that is CUPS's
    start: float  # median of `make_leaflet.py --help`: Python and the CLI starting


def timed_print(slug: str, content: Path, out: Path, env: dict[str, str]) -> tuple[float, str]:
    """Wall time of `print SLUG --large-print`, and what it printed."""
    where = ("--content", content, "-o", out)
    start = time.perf_counter()
    output = leaflet_output("print", slug, "--large-print", "--printer", PRINTER, *where, env=env)
    return time.perf_counter() - start, output


def kept_pdf(output: str) -> tuple[Path, bool]:
    """The PDF `print` names on its 'built' or 'up to date:' line, and whether it was built."""
    for line in output.splitlines():
        for prefix, built in (("built ", True), ("up to date: ", False)):
            if line.startswith(prefix):
                return Path(line[len(prefix) :]), built
    raise RuntimeError(f"print named no PDF: {output[-400:]}")


def print_runs(slug: str, content: Path, out: Path, cups: CupsServer) -> Edition:
    """RUNS timed prints of the large-print edition, each job left to finish before the next."""
    env = {**os.environ, "CUPS_SERVER": str(cups.socket)}
    times, lp, start, rebuilt, touched = [], [], [], 0, 0
    for _ in range(RUNS):
        pdfs = {path: path.stat().st_mtime_ns for path in out.glob("*.pdf")}
        took, output = timed_print(slug, content, out, env)
        kept, built = kept_pdf(output)
        times.append(took)
        rebuilt += built
        touched += pdfs.get(kept) != kept.stat().st_mtime_ns
        wait_for_print(output, cups)
        lp.append(run(["lp", "-d", PRINTER, kept], env=env))
        start.append(run(leaflet_command("--help")))
        wait_for_queue(cups)
    label = "print NAME --large-print, edition already built"
    measure = Measure(label, statistics.median(times), times)
    return Edition(measure, rebuilt, touched, statistics.median(lp), statistics.median(start))


def wait_for_print(output: str, cups: CupsServer) -> None:
    """Wait until the job that `print` named has left the queue."""
    job = re.search(r": job (\S+) \(", output)
    if job is None:
        raise RuntimeError(f"print named no CUPS job: {output[-400:]}")
    cups.wait_for_job(job.group(1))


def wait_for_queue(cups: CupsServer, timeout: float = 90) -> None:
    """Wait until the private scheduler has no job left, so that no run shares it with one."""
    deadline = time.monotonic() + timeout
    while cups.run("lpstat", "-o").stdout.strip():
        if time.monotonic() > deadline:
            raise RuntimeError(f"CUPS jobs still queued after {timeout:g} s")
        time.sleep(0.3)


def edition_switch(work: Path) -> Edition:
    """`print --large-print` of a leaflet whose large-print edition `build --large-print` made."""
    from tests.cups_server import start_server

    content, out = work / "edition-content", work / "edition-out"
    content.mkdir()
    out.mkdir()
    article = Path(shutil.copy(EXAMPLE, content / EXAMPLE.name))
    leaflet_output("build", article, "--large-print", "-o", out)
    print("edition switch: print --large-print of a built large-print leaflet")
    cups = start_server()
    try:
        cups.add_pdf_printer(PRINTER)
        edition = print_runs(article.stem, content, out, cups)
    finally:
        cups.stop()
    measure = edition.measure
    print(
        f"  {measure.name:<58} {measure.seconds:8.3f} s   runs: {runs_text(measure.runs)}; "
        f"rebuilt in {edition.rebuilt}, PDF rewritten in {edition.touched} of {RUNS}; "
        f"lp alone {edition.lp:.3f} s, the CLI's start (--help) {edition.start:.3f} s"
    )
    return edition


def warm_cpu(tree: Path | None = None, fit: bool = True) -> Measure:
    """CPU seconds per leaflet in a warm process: the example with the clinic's identity."""
    command = [PYTHON, str(ROOT / "benchmarks" / "warm_cpu.py"), str(max(RUNS, 7))]
    if tree is not None:
        command.append(str(tree))
    if not fit:
        command.append("--no-fit")
    found = subprocess.run(command, capture_output=True, text=True, check=True, cwd=tree or ROOT)
    median, *runs = found.stdout.split()
    label = f"CPU per warm leaflet, {'baseline at ' + str(tree) if tree else 'this tree'}"
    label += "" if fit else ", laid out once (--no-fit)"
    return Measure(label, float(median), [float(value) for value in runs])


def warm_cpu_trio() -> tuple[Measure, Measure, Measure]:
    """This tree's CPU per warm leaflet, the baseline's (measured now, or recorded), and this
    tree's when the leaflet is laid out once."""
    print("CPU seconds per leaflet in a warm worker")
    ours, once = warm_cpu(), warm_cpu(fit=False)
    if BASELINE is not None:
        baseline = warm_cpu(BASELINE)
    else:
        baseline = Measure("CPU per warm leaflet, recorded on main", RECORDED_BASELINE_CPU, [])
    for measure in (ours, once, baseline):
        print(f"  {measure.name:<58} {measure.seconds:8.3f} s")
    return ours, baseline, once


def fitted_share(folder: Path) -> tuple[int, int]:
    """(leaflets kept at a tighter step, so laid out twice; all leaflets) in a built folder."""
    import pikepdf

    steps = []
    for path in folder.glob("*.pdf"):
        if path.name != "index.pdf":
            with pikepdf.open(path) as pdf:
                steps.append(str(pdf.docinfo.get("/LeafletDensity", "0")))
    return sum(step not in ("0", "off") for step in steps), len(steps)


def desk_timings() -> list[str]:
    """The four timings of benchmarks/desk_bench.py, or a note why there are none."""
    script = ROOT / "benchmarks" / "desk_bench.py"
    if not script.is_file():
        return ["benchmarks/desk_bench.py is not in this tree; the desk was not timed."]
    print("the reception desk (benchmarks/desk_bench.py)")
    found = subprocess.run(
        [PYTHON, str(script)], capture_output=True, text=True, cwd=ROOT, timeout=900
    )
    if found.returncode != 0:
        return [f"benchmarks/desk_bench.py failed: {' '.join(found.stderr.split()[-40:])}"]
    lines = [line for line in found.stdout.splitlines() if line.strip()]
    for line in lines:
        print(f"  {line}")
    return lines


SCALING_CODE = """
import statistics, sys, time
from pathlib import Path
from leaflets.builder.job import Job
from leaflets.builder.make import build_leaflet
from leaflets.config.errors import collect_warnings
from leaflets.config.options import BuildOptions
from leaflets.config.profile import Profile
with collect_warnings():  # one real leaflet first, so that no timing pays first-use costs
    build_leaflet(Job(Path(sys.argv[2]), target=Path(sys.argv[2]).with_suffix(".pdf")),
                  Profile(), BuildOptions())
runs = int(sys.argv[1])
for source in sys.argv[2:]:
    times = []
    target = Path(source).with_suffix(".pdf")
    for _ in range(runs):
        start = time.perf_counter()
        with collect_warnings():
            built = build_leaflet(Job(Path(source), target=target), Profile(), BuildOptions())
        times.append(time.perf_counter() - start)
        for staged in built.files:  # staged beside the target, never put in place
            staged.discard()
    pages = built.info.pages
    print(source, statistics.median(times), pages, flush=True)
"""


def scaled_article(factor: int, folder: Path) -> Path:
    """The example with its body repeated `factor` times."""
    text = EXAMPLE.read_text("utf-8")
    _empty, front, body = text.split("---", 2)
    path = folder / f"scaled-{factor}x.md"
    path.write_text(f"---{front}---" + body * factor, "utf-8")
    return path


def scaling(work: Path) -> dict[int, tuple[float, int]]:
    """Seconds per page, in a warm worker, for 1x, 5x and 20x the example's length."""
    print("scaling (warm process, seconds per page)")
    folder = work / "scaling"
    folder.mkdir()
    sources = [scaled_article(factor, folder) for factor in (1, 5, 20)]
    result = subprocess.run(
        [PYTHON, "-c", SCALING_CODE, str(RUNS), *map(str, sources)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    found = {}
    for line, factor in zip(result.stdout.splitlines(), (1, 5, 20), strict=True):
        _source, seconds, pages = line.split()
        found[factor] = (float(seconds), int(pages))
        print(
            f"  {factor:>2}x: {float(seconds):.3f} s, {pages} pages, "
            f"{float(seconds) / int(pages):.3f} s/page"
        )
    return found


def machine() -> list[str]:
    """What this machine is, for the record."""
    import weasyprint

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory = next(
        line.split(":", 1)[1].strip()
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    chromium = chromium_path()
    chromium_version = (
        subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout.strip()
        if chromium
        else "not installed"
    )
    import typst

    pandoc_version = subprocess.run(
        [pandoc_path(), "--version"], capture_output=True, text=True
    ).stdout.splitlines()[0]
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical CPUs; memory {memory}",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}, "
        f"{pandoc_version}, typst (PyPI) {typst.__version__}, {chromium_version}",
        f"- load average at the start: {START_LOAD}",
        f"- load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
        "(the machine is shared; other work on it slows every route alike)",
    ]


def ratio(a: Measure, b: Measure) -> float:
    """a's median over b's."""
    return a.seconds / b.seconds


def versus(a: Measure, b: Measure) -> str:
    """Both medians, and the range of the ratio round by round (each round shares one load)."""
    rounds = [x / y for x, y in zip(a.runs, b.runs, strict=True)]
    return f"{a.seconds:.2f} s vs {b.seconds:.2f} s; by round {min(rounds):.2f}–{max(rounds):.2f}×"


@dataclass
class Found:
    """Everything one session measured."""

    single: dict[str, Measure]
    cat: dict[str, Measure]
    corpus: dict[str, Measure]
    corpus_size: int
    cpu: Measure
    cpu_baseline: Measure
    memory: tuple[int, str]
    scale: dict[int, tuple[float, int]]
    desk: list[str]
    articles: int
    timeline: Timeline
    profiles: dict[str, dict[str, object]]
    cpu_once: Measure
    fitted: tuple[int, int]
    floor: dict[str, Measure]
    watch: Watch
    edition: Edition


def compared(name: str, limit: float, a: Measure, b: Measure, why: str) -> Target:
    """A target that is the ratio of two routes timed in the same rounds."""
    value = ratio(a, b)
    return Target(name, f"≤ {limit:.2f}×", value, value <= limit, versus(a, b), why)


def floor_target(floor: dict[str, Measure], why: str = "") -> Target:
    """Our full build of FLOOR_ARTICLES against WeasyPrint alone, forked into 2 workers."""
    return compared(
        f"catalogue of {FLOOR_ARTICLES} vs the engine's floor (WeasyPrint imported once, "
        "forked into 2 workers, each HTML laid out once)",
        1.10,
        floor["ours"],
        floor["floor"],
        why,
    )


def watch_target(watch: Watch, floor: dict[str, Measure] | None, why: str = "") -> Target:
    """Save to 'built' in a warm watch, against its absolute limit."""
    measure = watch.measure
    detail = (
        f"median {measure.seconds:.3f} s of {len(measure.runs)} saves "
        f"({runs_text(measure.runs)}); 'changed:' printed after {watch.seen:.3f} s"
    )
    if floor is not None:
        per_leaflet = floor["floor"].seconds / FLOOR_ARTICLES
        detail += (
            f"; {measure.seconds / per_leaflet:.2f}× the floor's wall time per leaflet "
            f"({per_leaflet:.3f} s: its whole run over {FLOOR_ARTICLES}, two workers)"
        )
    return Target(
        "watch DIR: save to 'built' for one leaflet",
        f"≤ {WATCH_LIMIT:.2f} s",
        measure.seconds / WATCH_LIMIT,
        measure.seconds <= WATCH_LIMIT,
        detail + f"; ratio is to the {WATCH_LIMIT} s limit",
        why,
    )


def edition_target(edition: Edition, why: str = "") -> Target:
    """Printing the large-print edition already built, against its absolute limit."""
    measure, runs = edition.measure, len(edition.measure.runs)
    return Target(
        "edition switch: print NAME --large-print, that edition up to date, to the CUPS job",
        f"≤ {EDITION_LIMIT:.2f} s",
        measure.seconds / EDITION_LIMIT,
        measure.seconds <= EDITION_LIMIT,
        f"median {measure.seconds:.3f} s of {runs} ({runs_text(measure.runs)}); rebuilt in "
        f"{edition.rebuilt} of {runs}, PDF rewritten in {edition.touched}; `lp` alone "
        f"{edition.lp:.3f} s, `make_leaflet.py --help` {edition.start:.3f} s; ratio is to "
        f"the {EDITION_LIMIT} s limit",
        why,
    )


def targets(found: Found) -> list[Target]:
    """Every target of the brief with its measured ratio."""
    single, cat, corpus = found.single, found.cat, found.corpus
    why = reasons(found)
    cpu = ratio(found.cpu, found.cpu_baseline)
    rss_mib = found.memory[0] / 2**20
    typst = ratio(cat["ours"], cat["typst"])
    return [
        Target(
            "catalogue vs the pandoc → Typst loop",
            "≤ 1.20× (stretch ≤ 1.00×)",
            typst,
            typst <= 1.2,
            versus(cat["ours"], cat["typst"]) + ("; stretch met" if typst <= 1 else ""),
            why["typst_loop"],
        ),
        compared(
            "catalogue vs the pandoc → WeasyPrint loop",
            0.12,
            cat["ours"],
            cat["pandoc"],
            why["pandoc"],
        ),
        compared(
            "single cold leaflet vs the weasyprint CLI on our HTML",
            1.10,
            single["ours"],
            single["weasyprint"],
            why["floor"],
        ),
        Target(
            "CPU seconds per leaflet in a warm worker (example, full identity)",
            "≤ 0.50× the baseline",
            cpu,
            cpu <= 0.5,
            f"{found.cpu.seconds:.3f} s vs {found.cpu_baseline.seconds:.3f} s "
            f"({found.cpu_baseline.name})",
            why["cpu"],
        ),
        compared(
            f"the shared corpus ({found.corpus_size} articles), one build, vs the Typst loop",
            1.0,
            corpus["ours"],
            corpus["typst"],
            why["corpus"],
        ),
        floor_target(found.floor, why["engine_floor"]),
        watch_target(found.watch, found.floor, why["watch"]),
        edition_target(found.edition, why["edition"]),
        compared("no-op rebuild vs the full build", 0.05, cat["noop"], cat["ours"], why["noop"]),
        Target(
            "peak RSS per worker",
            "≤ 150 MiB",
            rss_mib / 150,
            rss_mib <= 150,
            f"{rss_mib:.0f} MiB (largest: {found.memory[1]}); ratio is to the 150 MiB limit",
            why["rss"],
        ),
    ]


def share(found: Found, stage: str) -> str:
    """A stage's share of a warm build of the example, as '12%'."""
    shares = found.profiles["the example"]["shares"]
    assert isinstance(shares, dict)
    value = next(value for name, value in shares.items() if name.strip().startswith(stage))
    return f"{100 * value:.0f}%"


# What would have to change inside WeasyPrint (70.0) for a leaflet to cost much less, from the
# profile in "Where the time goes". Each is a place in its source, not a setting of ours.
INSIDE_WEASYPRINT = (
    "(1) the running header and footer: `layout/page.py` lays out every margin box on every "
    "page and measures its min- and max-content widths in `compute_variable_dimension`, even "
    "when the boxes' widths are fixed; (2) `layout/percent.py` resolves every percentage of "
    "every box again on each layout pass, reading computed values one by one; (3) there is no "
    "way to lay a document out again with one root style changed: fitting to paper re-runs "
    "the HTML parser, the cascade and the box tree, not only the layout; (4) line breaking "
    "(`text/line_break.py`) makes a new Pango layout for every line it tries, for the "
    "preferred widths and again for the real layout."
)


def reasons(found: Found) -> dict[str, str]:
    """Why each target is missed and what would close the gap, from this session's figures."""
    timeline, (kept, built) = found.timeline, found.fitted
    per_leaflet = (
        f"A warm worker spends {found.cpu.seconds:.2f} s of CPU on the example "
        f"({found.cpu_once.seconds:.2f} s when it is laid out once); {kept} of the {built} "
        f"catalogue leaflets are laid out twice, because fitting them to paper saves a sheet. "
        f"Of a warm build, WeasyPrint's layout takes {share(found, 'layout')} (line breaking "
        f"{share(found, 'line breaking')}, percentages {share(found, 'percentages')}, the "
        f"margin boxes of the running header and footer {share(found, 'running header')}), the "
        f"cascade {share(found, 'cascade')}, the box tree {share(found, 'box tree')}, drawing "
        f"{share(found, 'drawing')}, writing and compressing the PDF "
        f"{share(found, 'PDF serialisation')}; our own steps before the layout "
        f"{share(found, 'before the layout')}."
    )
    fixed = (
        f"The build's fixed costs are in the timeline: {timeline.first:.2f} s until the first "
        f"leaflet (Python, the CLI, each worker loading WeasyPrint on its own core) and "
        f"{timeline.index - timeline.last:.2f} s for the index."
    )
    typst = found.single["typst"].seconds
    return {
        "typst_loop": (
            f"Per leaflet, WeasyPrint needs several times the CPU of pandoc and Typst together "
            f"({typst:.2f} s for one article, Python start included, on a plainer document "
            f"without running header and footer, title band, contact panel, QR code or tag "
            f"tree). {per_leaflet} {fixed} Two workers beat a sequential loop only by using "
            f"both cores, and the loop needs one. What would have to change inside WeasyPrint: "
            f"{INSIDE_WEASYPRINT}"
        ),
        "pandoc": (
            "The pandoc loop pays a Python start and a WeasyPrint import for every article; we "
            f"pay them once per worker. What is left is WeasyPrint's own work: {per_leaflet} "
            f"{fixed} Closing the gap needs the changes inside WeasyPrint listed in the Typst row."
        ),
        "floor": (
            "The floor is one Python process that imports WeasyPrint and lays out ready HTML "
            "once. Ours runs the CLI, which forks its one worker at once: it loads WeasyPrint "
            "while the command plans the build, then checks the article, renders its HTML and "
            "lays the leaflet out, a second time when a tighter step saves a sheet (as for the "
            "example), writes and fsyncs the PDF. The second layout is what is left over the "
            f"floor: {found.cpu.seconds - found.cpu_once.seconds:.2f} s of CPU in a warm "
            "process. Closing it needs a layout that can be repeated with one root style "
            "changed (point 3 in the Typst row), or a resident build process (watch mode, the "
            "desk), where a rebuild takes 0.1-0.3 s."
        ),
        "cpu": (
            f"The baseline was recorded before fitting to paper landed, on another machine of "
            f"this kind (an Intel Xeon, where the Typst loop over the catalogue took 2.23 s; "
            f"here it took {found.cat['typst'].seconds:.2f} s), and it laid the example out "
            f"once; that commit cannot be measured again, as an ignore rule kept its "
            f"leaflets/builder/ out of git. Laid out once, this tree takes "
            f"{found.cpu_once.seconds:.3f} s "
            f"({found.cpu_once.seconds / found.cpu_baseline.seconds:.2f}× the baseline), with "
            "the design's identity, clear-print typography and tag tree; fitting the example "
            "to two pages doubles the layout. Nothing is parsed again per article (stylesheets, "
            "fonts, templates, labels and the logo are loaded once per worker). "
            f"{per_leaflet} Halving it needs the changes inside WeasyPrint listed in the Typst "
            "row."
        ),
        "corpus": (
            "As for the catalogue against the Typst loop: per leaflet, WeasyPrint's layout and "
            "drawing cost more CPU than pandoc and Typst together, and the corpus articles are "
            "longer than the example, which widens the gap with every page (see the scaling "
            "table). The Typst loop also skips the articles pandoc or Typst cannot convert (its "
            "PDFs are fewer)."
        ),
        "engine_floor": (
            "The floor lays each article's ready HTML out once and writes it. From the same "
            "Python start, ours plans the catalogue and hashes its inputs, checks each article "
            "and renders its HTML in the workers, lays out a second time the leaflets that "
            f"fitting to paper shortens by a sheet ({kept} of {built} in the catalogue), "
            "writes, fsyncs and records each PDF, and builds the index (beside the leaflets; "
            f"{timeline.index - timeline.last:.2f} s after the last in the timeline). A warm "
            "worker spends "
            f"{found.cpu_once.seconds:.2f} s of CPU on the example laid out once and "
            f"{found.cpu.seconds:.2f} s fitted. What ours saves against it: its workers share "
            "one font configuration and the parsed stylesheets, and leave what they loaded "
            "before their first task out of garbage collection; fitting lays out only the "
            "steps its layouts do not already rule out. A second layout that costs less than "
            "the first would close the rest (point 3 in the Typst row)."
        ),
        "watch": (
            f"The watch notices a save after {found.watch.seen:.2f} s (its 'changed:' line); "
            f"the other {found.watch.measure.seconds - found.watch.seen:.2f} s are the rebuild. "
            "Between saves the watch keeps no worker: each save runs the build again in new "
            "worker processes, which load WeasyPrint, the fonts and the stylesheets before "
            "they lay the leaflet out, close to what a cold single leaflet costs "
            f"({found.single['ours'].seconds:.2f} s, Python's start included). Meeting the "
            "limit needs a worker kept warm between saves, as the desk keeps one; a rebuild "
            f"is then about a warm leaflet's CPU ({found.cpu.seconds:.2f} s) and its writing."
        ),
        "edition": (
            f"`lp` alone takes {found.edition.lp:.2f} s and the CLI's start (`--help`) "
            f"{found.edition.start:.2f} s. The rest is the command's own work before `lp`, "
            "without the build stack: checking the clinic's profile (its email address by the "
            "address library, whose patterns take about 35 ms to compile), hashing the tool's "
            "own files to confirm that the edition is up to date (about 30 ms), and asking CUPS "
            "whether the printer takes jobs. What is left to gain is in the CLI's start, or in a "
            "resident process such as the desk."
        ),
        "noop": (
            "A no-op build starts Python, imports the CLI and hashes every article, image, "
            "template, style and the package; against a short full build the fixed start-up "
            "dominates."
        ),
        "rss": (
            "Each worker builds article after article; RSS counts the pages it shares with the "
            "process it was forked from, and the largest article sets the high-water mark."
        ),
    }


def table(found: Found) -> list[str]:
    """Every measured route as Markdown table rows."""
    rows = ["| measurement | median (s) | runs (s) |", "|---|---:|---|"]
    groups = (
        ("single", found.single),
        ("catalogue", found.cat),
        ("corpus", found.corpus),
        ("floor", found.floor),
        ("resident", {"watch": found.watch.measure, "edition": found.edition.measure}),
    )
    for group, measures in groups:
        for measure in measures.values():
            runs = ", ".join(f"{t:.2f}" for t in measure.runs)
            rows.append(f"| {group}: {measure.name} | {measure.seconds:.3f} | {runs} |")
    for measure in (found.cpu, found.cpu_once, found.cpu_baseline):
        runs = ", ".join(f"{t:.3f}" for t in measure.runs) or "recorded"
        rows.append(f"| warm: {measure.name} (CPU s) | {measure.seconds:.3f} | {runs} |")
    return rows


def fit_cost(cat: dict[str, Measure]) -> list[str]:
    """What the fit-to-paper step costs a catalogue, when the build has it."""
    if "nofit" not in cat:
        return ["`build` has no `--no-fit` in this tree, so fitting was not measured apart."]
    fitted, unfitted = cat["ours"], cat["nofit"]
    extra = fitted.seconds - unfitted.seconds
    return [
        f"A full catalogue build with fitting took {fitted.seconds:.2f} s, with `--no-fit` "
        f"{unfitted.seconds:.2f} s: fitting costs {extra:+.2f} s, "
        f"{ratio(fitted, unfitted):.3f}× ({versus(fitted, unfitted)})."
    ]


def write_results(lines: list[str]) -> None:
    """benchmarks/RESULTS.md."""
    (ROOT / "benchmarks" / "RESULTS.md").write_text("\n".join(lines) + "\n", "utf-8")


def report(found: Found) -> list[str]:
    """RESULTS.md as lines."""
    met_targets = targets(found)
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}). "
        f"Medians over {RUNS} runs, all in one session, every route timed once per round; "
        f"a catalogue of {found.articles} articles (`content/` and the shared corpus) and the "
        f"whole shared corpus ({found.corpus_size} articles), copied to a temporary folder.",
        "",
        "## Machine",
        "",
        *machine(),
        "",
        "## Targets",
        "",
        "| target | limit | measured ratio | met | measured |",
        "|---|---|---:|---|---|",
    ]
    for target in met_targets:
        met = "yes" if target.met else "**no**"
        lines.append(
            f"| {target.name} | {target.limit} | {target.ratio:.3f}× | {met} | {target.detail} |"
        )
    missed = [target for target in met_targets if not target.met]
    if missed:
        lines += ["", "## Missed targets: why, and what would close the gap", ""]
        lines += [
            f"- **{target.name}** ({target.ratio:.3f}×, limit {target.limit}): {target.why}"
            for target in missed
        ]
    lines += ["", "## Where the time goes", ""]
    lines += [
        "A full catalogue build, as the CLI printed it (medians of the same number of runs):",
        "",
        *timeline_lines(found.timeline),
        "",
        "A warm leaflet, profiled with cProfile (`benchmarks/stages.py`): each stage's share "
        "of the whole build. cProfile slows Python code more than C code, so these are shares, "
        "not seconds; the layout's parts are included in the layout's share.",
        "",
        *profile_lines(found.profiles),
    ]
    lines += ["", "## Fit to paper", "", *fit_cost(found.cat)]
    lines += ["", "## The reception desk", "", *(f"- {line}" for line in found.desk)]
    lines += ["", "## Every measurement", "", *table(found), "", "## Scaling (warm process)", ""]
    lines += ["| length | seconds | pages | s/page |", "|---|---:|---:|---:|"]
    for factor, (seconds, pages) in found.scale.items():
        lines.append(f"| {factor}× | {seconds:.3f} | {pages} | {seconds / pages:.3f} |")
    lines += ["", f"Peak worker RSS: {found.memory[0] / 2**20:.0f} MiB ({found.memory[1]})."]
    return lines


def main() -> None:
    """Run every measurement and write RESULTS.md."""
    with tempfile.TemporaryDirectory(prefix="leaflets-bench-") as temporary:
        work = Path(temporary)
        articles = work / "articles"
        chosen = make_corpus(articles)
        single = single_leaflet(work)
        cat = catalogue(work, articles)
        corpus, corpus_size = whole_corpus(work)
        fitted = fitted_share(work / "catalogue")
        cpu, cpu_baseline, cpu_once = warm_cpu_trio()
        print("peak RSS of a worker")
        memory = worker_memory(articles, work)
        print(f"  {memory[0] / 2**20:.0f} MiB ({memory[1]})")
        scale = scaling(work)
        desk = desk_timings()
        print("timeline of a full catalogue build")
        timeline = catalogue_timeline(articles, work)
        print("where a warm leaflet's time goes")
        profiles = {
            "the example": stage_profile(),
            "a corpus article of 4 pages": stage_profile(articles / LONG_ARTICLE),
        }
        floor = engine_floor(work)
        watch = watch_rebuilds(work)
        edition = edition_switch(work)
        found = Found(
            single,
            cat,
            corpus,
            corpus_size,
            cpu,
            cpu_baseline,
            memory,
            scale,
            desk,
            len(chosen),
            timeline,
            profiles,
            cpu_once,
            fitted,
            floor,
            watch,
            edition,
        )
        lines = report(found)
    write_results(lines)
    print()
    print("\n".join(lines))


QUICK = ("floor", "watch", "edition", "single", "noop", "memory")


def run_only(names: list[str]) -> None:
    """Only the named measurements, their rows printed, no file: the engine's floor, watch and
    the edition switch, and the three kept figures (a cold single leaflet against the weasyprint
    CLI, a no-op rebuild against a full one, the peak RSS of a worker)."""
    unknown = set(names) - set(QUICK)
    if unknown:
        sys.exit(f"--only takes {', '.join(QUICK)}, not {', '.join(sorted(unknown))}")
    rows: list[Target] = []
    with tempfile.TemporaryDirectory(prefix="leaflets-bench-") as temporary:
        work = Path(temporary)
        floor = engine_floor(work) if "floor" in names else None
        if floor is not None:
            rows.append(floor_target(floor))
        if "watch" in names:
            rows.append(watch_target(watch_rebuilds(work), floor))
        if "edition" in names:
            rows.append(edition_target(edition_switch(work)))
        rows += kept_rows(work, names)
    for row in rows:
        met = "yes" if row.met else "no"
        print(f"{row.name}: {row.ratio:.3f}× (limit {row.limit}), met: {met}; {row.detail}")


def kept_rows(work: Path, names: list[str]) -> list[Target]:
    """The figures the catalogue work must keep: cold single leaflet, no-op rebuild, memory."""
    rows = []
    if "single" in names:
        single = single_leaflet(work, {"ours", "weasyprint"})
        name = "single cold leaflet vs the weasyprint CLI on our HTML"
        rows.append(compared(name, 1.10, single["ours"], single["weasyprint"], ""))
    articles = work / "kept-articles"
    if {"noop", "memory"} & set(names):
        make_corpus(articles, FLOOR_ARTICLES)
    if "noop" in names:
        routes = catalogue_routes(articles, work)
        cat = interleaved({key: routes[key] for key in ("ours", "noop")})
        rows.append(compared("no-op rebuild vs the full build", 0.05, cat["noop"], cat["ours"], ""))
    if "memory" in names:
        peak, name = worker_memory(articles, work)
        limit = 150 * 2**20
        detail = f"{peak / 2**20:.0f} MiB (largest: {name}); ratio is to the 150 MiB limit"
        rows.append(Target("peak RSS per worker", "≤ 150 MiB", peak / limit, peak <= limit, detail))
    return rows


def let_ctrl_c_through() -> None:
    """Started in the background (`make bench &`, nohup), a process inherits SIGINT ignored, and
    so would the watch it starts, which then could not be stopped as Ctrl+C stops it. A handler
    is not inherited: the watch starts with SIGINT as a terminal gives it."""
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


if __name__ == "__main__":
    let_ctrl_c_through()
    if sys.argv[1:2] == ["--only"] and len(sys.argv) == 3:
        run_only(sys.argv[2].split(","))
    else:
        main()
