"""Shared fixtures: the example article, the real-world corpus, CLI runs, engine warnings."""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# The tests' leaflets go to a folder of their own, never to the clinic's output/: set before the
# package is imported, and passed on to every command a test starts.
os.environ["LEAFLETS_OUTPUT"] = tempfile.mkdtemp(prefix="leaflets-tests-output-")

from leaflets.cli.main import main
from leaflets.config import errors
from leaflets.config.defaults import CONTENT_DIR, OUTPUT_DIR, PROJECT_ROOT

EXAMPLE = CONTENT_DIR / "baekkensmerter.md"
# LEAFLETS_CORPUS points elsewhere, for a checkout that does not sit beside shared/.
CORPUS = Path(os.environ.get("LEAFLETS_CORPUS", PROJECT_ROOT.parent / "shared" / "corpus"))
# WeasyPrint messages that say something about the machine, not about our CSS or HTML.
EXPECTED_ENGINE_WARNINGS = ("HarfBuzz-Subset",)


@pytest.fixture(scope="session", autouse=True)
def clinic_output_untouched() -> Iterator[None]:
    """`make test` leaves the clinic's ready leaflets as `make` built them; the tests' own
    folder goes with the session."""
    clinic_output = PROJECT_ROOT / "output"
    before = _files(clinic_output)
    yield
    shutil.rmtree(OUTPUT_DIR, ignore_errors=True)
    assert _files(clinic_output) == before, "a test wrote into the project's output/"


def _files(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file under `folder`, with its size and time of change."""
    found = (path for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else ()
    return {str(path): (path.stat().st_size, path.stat().st_mtime_ns) for path in found}


@pytest.fixture
def corpus() -> Path:
    """The shared corpus of real articles; absent in a user's own clone."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS} (it ships with CI, not with the repo)")
    return CORPUS


@pytest.fixture(autouse=True)
def engine_warnings(request: pytest.FixtureRequest) -> Iterator[list[str]]:
    """Fail any test during which WeasyPrint warned unexpectedly (a CSS typo, say)."""
    seen: list[str] = []

    def record(message: str) -> None:
        seen.append(message)
        errors.print_warning(message)

    with errors.warnings_to(record):
        yield seen
    if request.node.get_closest_marker("engine_warnings"):
        return
    unexpected = [
        message
        for message in seen
        if "weasyprint:" in message and not any(ok in message for ok in EXPECTED_ENGINE_WARNINGS)
    ]
    assert not unexpected, f"WeasyPrint warned: {unexpected}"


@dataclass
class Run:
    """The result of one CLI run."""

    code: int
    out: str
    err: str

    @property
    def errors(self) -> list[str]:
        """The `error: ...` lines."""
        return [line for line in self.err.splitlines() if line.startswith("error:")]

    @property
    def warnings(self) -> list[str]:
        """The `warning: ...` lines."""
        return [line for line in self.err.splitlines() if line.startswith("warning:")]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Run the CLI in this process and capture what it prints."""

    def run(*args: str | Path) -> Run:
        capsys.readouterr()
        code = main([str(arg) for arg in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def article(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write an article file under tmp_path."""

    def write(text: str, name: str = "article.md") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def example_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example article built once for all the PDF tests."""
    target = tmp_path_factory.mktemp("example") / "baekkensmerter.pdf"
    assert main(["build", str(EXAMPLE), "-o", str(target)]) == 0
    return target


def example_as_published_text() -> str:
    """The example's text as the website has it: its update dated before its publication."""
    text = EXAMPLE.read_text(encoding="utf-8")
    return text.replace("lastUpdated: 24/11/2026", "lastUpdated: 24/02/2024")


@functools.cache
def example_as_published() -> Path:
    """The example as the website has it, written once per test run, for tests of its dates."""
    folder = Path(tempfile.mkdtemp(prefix="leaflets-example-as-published-"))
    path = folder / EXAMPLE.name
    path.write_text(example_as_published_text(), encoding="utf-8")
    return path


@pytest.fixture
def web_example(tmp_path: Path) -> Path:
    """The example as the website has it: its update dated before its publication."""
    path = tmp_path / EXAMPLE.name
    path.write_text(example_as_published_text(), encoding="utf-8")
    return path


@pytest.fixture
def plain_clinic(tmp_path: Path) -> Path:
    """A clinic profile with the tool's own limits (LIX 45), not the shipped profile's."""
    path = tmp_path / "plain-clinic.toml"
    path.write_text('[clinic]\nname = "Klinik"\n', encoding="utf-8")
    return path


def copy_example(folder: Path) -> Path:
    """A copy of the example article in `folder`."""
    return Path(shutil.copy(EXAMPLE, folder / EXAMPLE.name))
