"""Build printable patient leaflets: see README.md."""

import sys

try:
    from leaflets.cli.main import main
except ImportError as missing:  # run outside the project's virtual environment
    sys.exit(
        f"error: {missing.name or 'a dependency'} is not installed here; run `make` once, "
        "then use .venv/bin/make-leaflet (or .venv/bin/python make_leaflet.py)"
    )

if __name__ == "__main__":  # worker processes import this module again
    raise SystemExit(main())
