"""The exports the importer reads: which columns hold what, how times are written.

``generic`` is the handbook's own CSV. ``jira`` is Jira Service Management's
"Export issues → CSV" (all or current fields); ``glpi`` is GLPI's ticket list
exported as CSV. A mapping file (:mod:`.mapping`) can rename any column and
supplies the organisation's tables of request types and priorities.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

FIELDS = ("id", "commitment", "priority", "opened", "first_response", "resolved")
"""What the importer reads from every row, in the generic CSV's column order."""


@dataclass(frozen=True, slots=True)
class Format:
    """One kind of export: the header names of each field and how its times look."""

    name: str
    columns: Mapping[str, tuple[str, ...]]
    """Field → header names to look for, the first one present wins; () for none."""
    optional: frozenset[str]
    """Fields whose column may be missing from the file (then the value is empty)."""
    delimiter: str
    date_formats: tuple[str, ...]
    """``strptime`` formats of local times; ISO 8601 is always understood too."""
    local_times: bool
    """Times are written in the exporting user's zone, without an offset."""


GENERIC = Format(
    name="generic",
    columns={field: (field,) for field in FIELDS},
    optional=frozenset(),
    delimiter=",",
    date_formats=(),
    local_times=False,
)

# Jira writes dates in the exporting user's time zone and date format (by default
# "dd/MMM/yy h:mm a", e.g. 06/Nov/26 3:30 PM). The request type is a custom field
# ("Request Type" in Jira Cloud, "Customer Request Type" in older Server/Data Center
# versions); "[CHART] Date of First Response" is Jira's own first-response time.
JIRA = Format(
    name="jira",
    columns={
        "id": ("Issue id",),
        "commitment": (
            "Custom field (Request Type)",
            "Custom field (Customer Request Type)",
            "Request Type",
            "Customer Request Type",
        ),
        "priority": ("Priority",),
        "opened": ("Created",),
        "first_response": (
            "Custom field ([CHART] Date of First Response)",
            "[CHART] Date of First Response",
        ),
        "resolved": ("Resolved",),
    },
    optional=frozenset({"first_response"}),
    delimiter=",",
    date_formats=("%d/%b/%y %I:%M %p",),
    local_times=True,
)

# GLPI quotes every cell, separates them with the user's CSV delimiter (";" by
# default), starts with a UTF-8 byte order mark and writes dates as the user's
# date format ("YYYY-MM-DD HH:MM" by default) in the server's time zone. Its
# ticket list has no first-response time (only "Time to own", a deadline), so
# the mapping has to name a column for it if there is one.
GLPI = Format(
    name="glpi",
    columns={
        "id": ("ID",),
        "commitment": ("Category",),
        "priority": ("Priority",),
        "opened": ("Opening date",),
        "first_response": (),
        "resolved": ("Resolution date",),
    },
    optional=frozenset({"first_response"}),
    delimiter=";",
    date_formats=("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"),
    local_times=True,
)

FORMATS: Mapping[str, Format] = {fmt.name: fmt for fmt in (GENERIC, JIRA, GLPI)}
