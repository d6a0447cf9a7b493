"""The domain's fixed vocabulary: authority kinds, polarities, value statuses, dataset kinds, services.

Every layer may read these; the store's DDL checks them.
"""

from __future__ import annotations

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
