"""Does a FranceConnect identity belong to the victim recorded on a complaint?

The pivot identity must match the civil identity the agent recorded: birth date exactly, birth place
(INSEE commune code, or country code for someone born abroad) exactly, family name (birth name, or
the usage name FranceConnect gives as ``preferred_username``) and given names compared after
normalisation (case, accents, hyphens, apostrophes, spaces). Given names may be recorded in part, from
the first one on (the agent may have typed only "Camille" for "Camille Louise"), never out of order.
Anything else is refused: no partial match may give a complaint to the wrong person.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

FRANCE = "99100"


def normalise(name: str) -> list[str]:
    """Words of a name without accents, case or punctuation: "Lefèvre-D'Ornano" -> ["LEFEVRE", "D", "ORNANO"]."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in letters.upper())
    return cleaned.split()


@dataclass(frozen=True)
class Mismatch:
    reason: str  # for the log and the audit trail; the victim gets one plain message


def compare(complaint, claims: dict) -> Mismatch | None:
    """None when the FranceConnect identity is the victim's; otherwise the first difference found."""
    if claims.get("birthdate") != complaint.victim_birth_date.isoformat():
        return Mismatch("birth date")
    if not complaint.victim_birth_place_code:
        return Mismatch("no birth place code recorded on the complaint")
    born_in_france = claims.get("birthcountry") == FRANCE
    place = claims.get("birthplace") if born_in_france else claims.get("birthcountry")
    if not place or place != complaint.victim_birth_place_code:
        return Mismatch("birth place")
    recorded_family = normalise(complaint.victim_family_name)
    if recorded_family not in (normalise(claims.get("family_name", "")), normalise(claims.get("preferred_username", ""))):
        return Mismatch("family name")
    recorded_given, given = normalise(complaint.victim_given_names), normalise(claims.get("given_name", ""))
    if not recorded_given or given[:len(recorded_given)] != recorded_given:
        return Mismatch("given names")
    return None
