"""Build printable patient leaflets: see README.md."""

import sys

HINT = (
    "error: this Python lacks {missing}, which leaflets needs; run `make` once, "
    "then use .venv/bin/make-leaflet (or .venv/bin/python make_leaflet.py)"
)


def missing_dependency() -> str | None:
    """The first of the tool's own requirements this Python lacks, or None when all are here."""
    import re
    from importlib import metadata  # about 40 ms: only outside a virtual environment

    try:
        requirements = metadata.distribution("leaflets").requires or []
    except metadata.PackageNotFoundError:
        return "leaflets"
    for requirement in requirements:
        if "extra ==" in requirement:
            continue  # test and benchmark extras
        name = re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0]
        try:
            metadata.distribution(name)
        except metadata.PackageNotFoundError:
            return name
    return None


def outside_a_virtual_environment() -> bool:
    """Whether this is a system Python, where the tool's requirements are rarely all present."""
    return sys.prefix == sys.base_prefix


if __name__ == "__main__":  # worker processes import this module again
    # Checked outside a virtual environment only: reading every requirement's metadata takes
    # about 50 ms, too long for each start in the one `make` sets up.
    if outside_a_virtual_environment() and (missing := missing_dependency()) is not None:
        sys.exit(HINT.format(missing=missing))
    from leaflets.cli.main import main

    raise SystemExit(main())
