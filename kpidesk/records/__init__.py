"""The synced record types, defined once and used by both the laptop and the server.

Each record is a SQLModel base class (not a table): the local store and the server make their
own tables from it, so a field is declared in one place only.
"""

from kpidesk.records.models import (
    SYNCED_RECORDS,
    AccountRecord,
    ActivityRecord,
    ContactRecord,
    ObjectiveRecord,
    OfferRecord,
    SyncedRecord,
    business_fields,
)

__all__ = [
    "SYNCED_RECORDS",
    "AccountRecord",
    "ActivityRecord",
    "ContactRecord",
    "ObjectiveRecord",
    "OfferRecord",
    "SyncedRecord",
    "business_fields",
]
