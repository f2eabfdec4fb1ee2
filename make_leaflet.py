"""Build printable patient leaflets: see README.md."""

from leaflets.cli.main import main

if __name__ == "__main__":  # worker processes import this module again
    raise SystemExit(main())
