"""Run the CLI, then report the peak memory of the whole process tree on the last stderr line.

Used as `python tests/measured_build.py ARGS...`. The command's workers are its own children,
reaped before it returns, so the kernel has folded their peaks into RUSAGE_CHILDREN.
"""

from __future__ import annotations

import resource
import sys
from pathlib import Path

# Run as a file, this folder comes first on the path, where the test folder tests/html would
# hide the standard library's html: the project's folder takes its place.
HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0]).resolve() == HERE:
    sys.path[0] = str(HERE.parent)

from leaflets.cli.main import main  # noqa: E402

if __name__ == "__main__":
    code = main(sys.argv[1:])
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak-rss-kib {max(children, own)}", file=sys.stderr)
    sys.exit(code)
