"""CPU seconds per leaflet in a warm process: the example article with the clinic's full identity.

`python benchmarks/warm_cpu.py RUNS [TREE] [--no-fit]` prints the median and every run. TREE
is a checkout of the project to measure instead of this one (for a baseline of another commit);
its clinic.toml and example article are used, so both sides build the same leaflet. `--no-fit`
lays the leaflet out once, without trying a tighter step to save a sheet.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

NO_FIT = "--no-fit" in sys.argv
ARGS = [arg for arg in sys.argv[1:] if arg != "--no-fit"]
TREE = Path(ARGS[1]).resolve() if len(ARGS) > 1 else Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TREE))

from leaflets.builder.job import Job  # noqa: E402
from leaflets.builder.make import build_leaflet  # noqa: E402
from leaflets.config.errors import collect_warnings  # noqa: E402
from leaflets.config.options import BuildOptions  # noqa: E402
from leaflets.config.profile import load_profile  # noqa: E402


def main() -> None:
    """Build the example once to warm up, then RUNS times, timing the CPU of each."""
    runs = int(ARGS[0])
    options = BuildOptions(fit=False) if NO_FIT else BuildOptions()
    profile = load_profile(TREE / "clinic.toml")
    source = TREE / "content" / "baekkensmerter.md"
    times = []
    with tempfile.TemporaryDirectory() as folder:
        job = Job(source, target=Path(folder) / "leaflet.pdf")
        for run in range(runs + 1):
            start = time.process_time()
            with collect_warnings():
                build_leaflet(job, profile, options)
            if run:  # the first build pays for first use
                times.append(time.process_time() - start)
    print(statistics.median(times), *(f"{t:.3f}" for t in times))


if __name__ == "__main__":
    main()
