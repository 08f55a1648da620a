"""Real requests and the service levels they show.

Exports of a ticketing system (a generic CSV, Jira Service Management, GLPI)
are read (:mod:`.reader`, :mod:`.formats`, :mod:`.mapping`), checked against
the organisation's commitments (:mod:`.rows`), stored idempotently next to the
feedback (:mod:`.store`, :mod:`.importer`) and exported with elapsed minutes
and met targets on each commitment's clock (:mod:`.export`). Only the
request's id, commitment, priority and timestamps are kept: never a name.
"""

from __future__ import annotations

__all__ = ["export", "formats", "importer", "mapping", "reader", "rows", "store"]
