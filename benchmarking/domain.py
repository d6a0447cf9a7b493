"""The domain's fixed vocabulary: authority kinds, polarities, value statuses, dataset kinds, services.

Every layer may read these; the store's DDL checks them.
"""

from __future__ import annotations

import re

AUTHORITY_KINDS = (
    "county council",
    "county unitary",
    "unitary",
    "metropolitan district",
    "london borough",
    "scottish council",
)
COMPARATOR_KINDS = ("county council", "county unitary")
"""The kinds that make up the English county comparator group; the others let real
national files (Oflog, LGBF) load whole."""
POLARITIES = ("high", "low", "target", "none")
"""``high``: bigger is better; ``low``: smaller is better; ``target``: closest to the
indicator's ``target_midpoint`` is best (a "Goldilocks" band); ``none``: context only,
never ranked."""

VALUE_STATUSES = ("final", "provisional", "revised")
DATASET_KINDS = ("demo", "imported", "public")

SERVICES = (
    "total",
    "adult social care",
    "children's social care",
    "education",
    "public health",
    "highways & transport",
    "environment & regulatory",
    "culture & leisure",
)


def is_percent_unit(unit: object) -> bool:
    """Return True when an indicator's unit is a percentage ('%', '% of pupils', 'percentage of ...'): its figures
    are on the 0-100 scale."""
    if not isinstance(unit, str):
        return False
    text = unit.strip().lower()
    return text.startswith("%") or text.split(" ", 1)[0] in ("percent", "percentage", "percentages")


def is_share_unit(unit: object) -> bool:
    """Return True when an indicator's unit is a share from 0 to 1 ('share (0-1)', 'score (0-1)', 'proportion'):
    its figures are on the 0-1 scale, so 58.4% is written 0.584."""
    if not isinstance(unit, str) or is_percent_unit(unit):
        return False
    text = unit.strip().lower()
    return bool(re.search(r"\b0\s*(?:-|to|–)\s*1\b", text)) or text.split(" ", 1)[0] in ("share", "proportion")
