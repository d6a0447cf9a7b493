"""The help lines of the commands whose modules are loaded only when named (``cli.main``).

Held apart so that the parser can list these commands without loading their modules (which
load pandas and the public build), and each module registers its command with the same line.
"""

from __future__ import annotations

COMMAND_HELP = {
    "build-public": "build a store of the English county areas from public files",
    "load-extract": "build a store from an extract written by build-public --extract",
    "public-report": "write docs/public-counties.md from a store built by build-public",
    "compendium-coverage": "write docs/compendium-coverage.md: the Compendium's rows mapped to public indicators",
}
PUBLIC_COMMANDS = ("build-public", "load-extract", "public-report")
COMPENDIUM_COMMANDS = ("compendium-coverage",)
