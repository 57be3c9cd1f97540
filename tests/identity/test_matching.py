"""FranceConnect identity against the identity recorded on the complaint: exact where it must be."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from webapp.auth.identity import compare, normalise


def recorded(**overrides):
    fields = dict(victim_family_name="Lefèvre-D'Ornano", victim_given_names="Camille", victim_birth_date=date(1988, 5, 14),
                  victim_birth_place_code="69266")
    fields.update(overrides)
    return SimpleNamespace(**fields)


def pivot(**overrides):
    claims = dict(sub="x", given_name="CAMILLE LOUISE", family_name="LEFEVRE D ORNANO", birthdate="1988-05-14",
                  birthplace="69266", birthcountry="99100", preferred_username="")
    claims.update(overrides)
    return claims


def test_normalisation_ignores_case_accents_hyphens_and_apostrophes():
    assert normalise("Lefèvre-D'Ornano") == normalise("LEFEVRE D ORNANO") == ["LEFEVRE", "D", "ORNANO"]
    assert normalise("  Zoë   Saint-Exupéry ") == ["ZOE", "SAINT", "EXUPERY"]


@pytest.mark.parametrize("complaint, claims", [
    (recorded(), pivot()),                                                        # first given name recorded
    (recorded(victim_given_names="camille louise"), pivot()),                     # all given names, other case
    (recorded(victim_given_names="Jean-Pierre"), pivot(given_name="JEAN PIERRE MARC")),  # compound given name
    (recorded(victim_family_name="Leroy"), pivot(family_name="DUPONT", preferred_username="LEROY")),  # usage name
    (recorded(victim_birth_place_code="99139"), pivot(birthplace="", birthcountry="99139")),  # born abroad
])
def test_the_same_person_matches(complaint, claims):
    assert compare(complaint, claims) is None


@pytest.mark.parametrize("complaint, claims, reason", [
    (recorded(), pivot(birthdate="1988-05-15"), "birth date"),
    (recorded(), pivot(birthplace="69383"), "birth place"),                        # homonym born elsewhere
    (recorded(victim_birth_place_code=""), pivot(), "no birth place code"),
    (recorded(), pivot(family_name="LEFEVRE"), "family name"),
    (recorded(victim_given_names="Louise"), pivot(), "given names"),               # not the first given name
    (recorded(victim_given_names="Camille Louise Anne"), pivot(), "given names"),  # more than FranceConnect knows
    (recorded(victim_birth_place_code="99139"), pivot(birthplace="", birthcountry="99134"), "birth place"),
    (recorded(), pivot(birthcountry="99139", birthplace=""), "birth place"),       # born abroad, not in Villeurbanne
])
def test_anyone_else_is_refused(complaint, claims, reason):
    mismatch = compare(complaint, claims)
    assert mismatch is not None and mismatch.reason.startswith(reason)
