"""Fields whose value is another record's id, and the table that record lives in."""

from __future__ import annotations

REFERENCE_FIELDS = {
    "account_id": "account",
    "referred_by": "account",
    "contact_id": "contact",
    "offer_id": "offer",
}
