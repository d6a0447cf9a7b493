"""The command line's messages to people, written so that no text from a file or a store can drive the terminal."""

from __future__ import annotations

import sys
from typing import TextIO

from benchmarking.text.escaping import terminal


def say(*parts: object, file: TextIO | None = None) -> None:
    """Print ``parts`` (as ``print`` does) with every control character shown as its escape (``text.terminal``)."""
    print(terminal(" ".join(str(part) for part in parts)), file=file or sys.stdout)
