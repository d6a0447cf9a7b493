"""Command line: ``python -m benchmarking COMMAND``; run with ``--help`` for the commands."""

from __future__ import annotations

import sys

from benchmarking.cli import main

if __name__ == "__main__":
    sys.exit(main())
