"""The command line: ``python -m benchmarking COMMAND`` (see ``main``)."""

from benchmarking.cli.main import main

__all__ = ["main"]
