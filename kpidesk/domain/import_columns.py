"""The kpidesk fields a spreadsheet column can fill, and the names teams give those columns.

A column is matched on its folded name (no accents, any case): "Raison sociale", "SOCIÉTÉ" and
"Account" all fill the account's name. The rep can change the mapping; this is the first guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kpidesk.domain.i18n import N_
from kpidesk.domain.import_values import fold


class Kind(StrEnum):
    """What a row of the file is about (the record each row makes)."""

    ACCOUNT = "account"
    CONTACT = "contact"
    OFFER = "offer"
    ACTIVITY = "activity"


@dataclass(frozen=True)
class Field:
    key: str  # stable, saved in mapping files
    kind: Kind  # the record it fills
    label: str  # shown to the rep (N_-marked)
    names: tuple[str, ...]  # column names that mean this field, folded when compared


ACC, CON, OFF, ACT = Kind.ACCOUNT, Kind.CONTACT, Kind.OFFER, Kind.ACTIVITY

FIELDS: tuple[Field, ...] = (
    Field("id", OFF, N_("kpidesk id"), ("id", "kpidesk id", "identifiant", "identifiant kpidesk")),
    Field("account", ACC, N_("Account"), (
        "account", "account name", "compte", "client", "societe", "raison sociale", "entreprise",
        "company", "customer", "nom du client", "nom client", "nom de la societe", "prospect")),
    Field("account_id", ACC, N_("Account's kpidesk id"), (
        "account id", "account kpidesk id", "id du compte", "identifiant du compte",
        "identifiant kpidesk du compte", "id compte", "account s kpidesk id")),
    Field("account_status", ACC, N_("Account status"), (
        "account status", "statut client", "statut du compte", "type de client")),
    Field("temperature", ACC, N_("Temperature"), ("temperature", "chaleur", "interet")),
    Field("source", ACC, N_("Source"), ("source", "origine", "provenance", "lead source")),
    Field("sector", ACC, N_("Sector"), ("sector", "secteur", "activite", "industry", "naf")),
    Field("city", ACC, N_("City"), ("city", "ville", "commune", "localite", "town")),
    Field("address", ACC, N_("Address"), ("address", "adresse", "adresse postale")),
    Field("account_phone", ACC, N_("Phone"), ("phone", "telephone", "tel", "standard")),
    Field("account_email", ACC, N_("E-mail"), ("email", "e mail", "mail", "courriel")),
    Field("contact", CON, N_("Contact"), (
        "contact", "contact name", "nom du contact", "interlocuteur", "nom contact")),
    Field("contact_role", CON, N_("Role"), ("role", "fonction", "poste", "job title", "title")),
    Field("contact_phone", CON, N_("Contact phone"), (
        "contact phone", "telephone contact", "telephone du contact", "portable", "mobile",
        "tel contact")),
    Field("contact_email", CON, N_("Contact e-mail"), (
        "contact email", "contact e mail", "email contact", "mail contact", "courriel contact",
        "e mail du contact")),
    Field("reference", OFF, N_("Reference"), (
        "reference", "ref", "offer reference", "numero", "n devis", "numero de devis",
        "n offre", "numero d offre", "devis", "quote", "quote number", "no")),
    Field("offer_title", OFF, N_("Offer title"), (
        "titre", "objet", "offer title", "offer", "offre", "description", "libelle", "affaire",
        "opportunite", "opportunity", "deal", "designation", "intitule", "intitule de l offre")),
    Field("amount", OFF, N_("Amount"), (
        "amount", "montant", "montant ht", "valeur", "value", "prix", "ca", "total ht",
        "montant du devis", "total", "price")),
    Field("margin", OFF, N_("Margin"), ("margin", "marge", "marge brute", "marge ht")),
    Field("currency", OFF, N_("Currency"), ("currency", "devise", "monnaie")),
    Field("offer_status", OFF, N_("Offer status"), (
        "statut", "status", "etape", "stage", "etat", "phase", "statut de l offre",
        "offer status", "resultat")),
    Field("sent_at", OFF, N_("Sent on"), (
        "date d envoi", "envoye le", "sent", "sent on", "sent date", "date", "date du devis",
        "date offre", "date de l offre", "emission", "envoyee le")),
    Field("decided_at", OFF, N_("Decided on"), (
        "date de decision", "decide le", "decided on", "decision date", "date de signature",
        "signe le", "close date", "date de cloture", "closed on", "date decision",
        "decidee le")),
    Field("lost_reason", OFF, N_("Reason lost"), (
        "lost reason", "reason lost", "raison perte", "motif de perte", "motif", "raison",
        "cause", "motif de la perte")),
    Field("probability", OFF, N_("Probability"), (
        "probability", "probabilite", "proba", "chance", "chances", "% de reussite")),
    Field("offer_id", ACT, N_("Offer's kpidesk id"), (
        "offer id", "offer kpidesk id", "offer s kpidesk id", "id kpidesk de l offre",
        "identifiant kpidesk de l offre")),
    Field("follow_up_at", ACT, N_("Follow-up on"), (
        "date de relance", "relance", "prochaine relance", "relance le", "follow up",
        "follow up date", "next step date", "a relancer le", "follow up on")),
    Field("activity_kind", ACT, N_("Activity kind"), (
        "activity kind", "kind", "type d activite", "type d action", "action", "canal")),
    Field("done_at", ACT, N_("Done on"), (
        "done on", "activity date", "date de l action", "date action", "fait le",
        "date du contact", "date de visite", "date d appel", "realisee le")),
    Field("due_at", ACT, N_("Due on"), (
        "due on", "due date", "echeance", "prevu le", "prevue le", "a faire le")),
    Field("purpose", ACT, N_("Activity purpose"), (
        "purpose", "activity purpose", "but", "motif de l action", "objectif",
        "objet de l action")),
    Field("outcome", ACT, N_("Activity outcome"), (
        "outcome", "activity outcome", "issue", "resultat de l action", "compte rendu")),
    Field("notes", ACC, N_("Notes"), (
        "notes", "note", "commentaire", "commentaires", "comments", "remarques", "observations")),
    Field("owner", ACC, N_("Owner (kept in notes)"), (
        "owner", "commercial", "agent", "vendeur", "responsable", "sales rep", "rep",
        "charge d affaires", "attache commercial", "proprietaire", "owner kept in notes",
        "responsable conserve dans les notes")),
)  # fmt: skip

FIELD_BY_KEY = {f.key: f for f in FIELDS}
_BY_NAME = {fold(name): f.key for f in FIELDS for name in f.names}
# Fields whose presence says what a row is about, most specific first.
_OFFER_KEYS = {"reference", "amount", "margin", "offer_status", "sent_at", "decided_at"}
_ACTIVITY_KEYS = {"activity_kind", "done_at", "due_at", "purpose", "outcome"}


def guess_field(header: str) -> str | None:
    """The field a column name means, or None."""
    return _BY_NAME.get(fold(header)) if header else None


def guess_mapping(headers: Sequence[str]) -> dict[int, str]:
    """Column index -> field key. The first column with a name wins the field: a duplicate
    "Montant" is left unmapped (the rep sees it and can choose)."""
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        key = guess_field(header)
        if key is not None and key not in taken:
            mapping[index] = key
            taken.add(key)
    return mapping


def row_kind(keys: set[str]) -> Kind:
    """What the rows of a file mapped to ``keys`` are about."""
    if keys & _OFFER_KEYS:
        return Kind.OFFER
    if keys & _ACTIVITY_KEYS:
        return Kind.ACTIVITY
    if "contact" in keys:
        return Kind.CONTACT
    return Kind.ACCOUNT


def header_score(cells: Sequence[str]) -> int:
    """How many cells of a row are column names kpidesk knows: the header row scores most."""
    return sum(1 for cell in cells if guess_field(cell) is not None)
