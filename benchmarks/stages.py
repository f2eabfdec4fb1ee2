"""Where a warm leaflet's time goes: a deterministic profile, summed by stage.

`python benchmarks/stages.py RUNS [ARTICLE]` builds ARTICLE (the example by default) once to
warm up, then RUNS times under cProfile, and prints one JSON object: each stage's share of
the profiled build, and how many layouts a build made. cProfile slows Python-heavy code more
than C-heavy code, so the shares are a guide to where the time goes, not seconds.
"""

from __future__ import annotations

import cProfile
import importlib
import json
import pstats
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflets.builder.job import Job  # noqa: E402
from leaflets.builder.make import build_leaflet  # noqa: E402
from leaflets.config.errors import collect_warnings  # noqa: E402
from leaflets.config.options import BuildOptions  # noqa: E402
from leaflets.config.profile import load_profile  # noqa: E402

# Each stage is measured by one function's cumulative time; stages nest: the layout's own
# parts are listed under it, and everything under the whole build.
STAGES: list[tuple[str, str]] = [
    ("build", "leaflets.builder.make:build_leaflet"),
    (
        "before the layout: checks, Markdown, template (ours)",
        "leaflets.builder.make:prepare_leaflet",
    ),
    ("HTML parsing", "weasyprint:HTML.__init__"),
    ("cascade: computed styles", "weasyprint.css:get_all_computed_styles"),
    ("box tree", "weasyprint.formatting_structure.build:build_formatting_structure"),
    ("layout", "weasyprint.layout:layout_document"),
    ("  line breaking (Pango)", "weasyprint.text.line_break:split_first_line"),
    ("  percentages resolved, box by box", "weasyprint.layout.percent:resolve_percentages"),
    ("  running header and footer (margin boxes)", "weasyprint.layout.page:make_margin_boxes"),
    ("  floats: masthead, contact panel, QR code", "weasyprint.layout.float:float_layout"),
    ("  tables: contact details", "weasyprint.layout.table:table_layout"),
    ("drawing the pages", "weasyprint.document:Page.paint"),
    ("tag tree (PDF/UA)", "weasyprint.pdf.tags:add_tags"),
    ("PDF serialisation and compression", "pydyf:PDF.write"),
    ("our PDF finisher", "leaflets.pdf.tagging:mark_page_furniture_as_artifacts"),
]


def code_key(where: str) -> tuple[str, int, str]:
    """cProfile's key for 'module:qualified.name'."""
    module, _, name = where.partition(":")
    target: object = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    code = target.__code__  # type: ignore[attr-defined]
    return code.co_filename, code.co_firstlineno, code.co_name


def main() -> None:
    """Profile RUNS warm builds and print the shares."""
    runs = int(sys.argv[1])
    source = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "content" / "baekkensmerter.md"
    profile = load_profile(ROOT / "clinic.toml")
    profiler = cProfile.Profile()
    with tempfile.TemporaryDirectory() as folder:
        job = Job(source, target=Path(folder) / "leaflet.pdf")
        with collect_warnings():
            build_leaflet(job, profile, BuildOptions())
            profiler.enable()
            for _ in range(runs):
                build_leaflet(job, profile, BuildOptions())
            profiler.disable()
    print(json.dumps(shares(pstats.Stats(profiler), runs)))


def shares(stats: pstats.Stats, runs: int) -> dict[str, object]:
    """Each stage's share of the build, and the layouts per build."""
    table = stats.stats  # type: ignore[attr-defined]
    found = {}
    for stage, where in STAGES:
        _calls, primitive, _own, cumulative, _callers = table.get(code_key(where), (0, 0, 0, 0, {}))
        found[stage] = (primitive, cumulative)
    whole = found.pop("build")[1]
    return {
        "layouts_per_build": found["HTML parsing"][0] / runs,
        "shares": {stage: cumulative / whole for stage, (_n, cumulative) in found.items()},
    }


if __name__ == "__main__":
    main()
