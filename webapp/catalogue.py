"""Catalogues of offences, investigation milestones and document kinds, with their plain-French texts.

Stored in the database as codes; the wording lives here only.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Offence:
    code: str
    label: str


OFFENCES = {o.code: o for o in [
    Offence("vol", "Vol"),
    Offence("cambriolage", "Cambriolage"),
    Offence("escroquerie", "Escroquerie"),
    Offence("violences", "Violences"),
    Offence("degradation", "Dégradation"),
    Offence("usurpation_identite", "Usurpation d'identité"),
    Offence("autre", "Autre infraction"),
]}


@dataclass(frozen=True)
class Milestone:
    """An investigation milestone: what the victim reads on her timeline."""

    code: str
    title: str
    explanation: str
    closes_case: bool = False


MILESTONES = {m.code: m for m in [
    Milestone(
        "plainte_enregistree", "Plainte enregistrée",
        "Votre plainte a été enregistrée par le service. Elle a un numéro de procédure : "
        "donnez-le si vous contactez le service ou votre assurance."),
    Milestone(
        "enquete_en_cours", "Enquête en cours",
        "Des enquêteurs travaillent sur votre affaire : ils recherchent des preuves, des témoins "
        "ou la personne responsable. Cela peut prendre plusieurs semaines ou plusieurs mois."),
    Milestone(
        "victime_entendue", "Vous avez été entendue",
        "Les enquêteurs ont recueilli vos explications. Ce que vous avez dit est joint au dossier."),
    Milestone(
        "mis_en_cause_identifie", "Personne soupçonnée identifiée",
        "Les enquêteurs pensent savoir qui a commis les faits. Cela ne veut pas encore dire que "
        "cette personne sera jugée."),
    Milestone(
        "mis_en_cause_entendu", "Personne mise en cause entendue",
        "La personne soupçonnée a été interrogée par les enquêteurs. Elle reste présumée innocente "
        "tant qu'un tribunal ne l'a pas déclarée coupable."),
    Milestone(
        "transmis_parquet", "Dossier transmis au procureur",
        "L'enquête est terminée et le dossier a été envoyé au procureur de la République "
        "(le « parquet »). C'est lui qui décide de la suite : poursuivre la personne devant un "
        "tribunal, proposer une autre solution ou classer l'affaire."),
    Milestone(
        "classement_sans_suite", "Classement sans suite",
        "Le procureur a décidé de ne pas poursuivre pour le moment (par exemple si l'auteur n'a pas "
        "été identifié ou si les preuves manquent). Le dossier peut être rouvert si un élément "
        "nouveau apparaît. Vous pouvez contester cette décision auprès du procureur général, ou "
        "demander vous-même un procès en déposant une plainte avec constitution de partie civile "
        "auprès du juge d'instruction. Une association d'aide aux victimes peut vous aider "
        "gratuitement (France Victimes : 116 006).",
        closes_case=True),
    Milestone(
        "alternative_poursuites", "Mesure alternative aux poursuites",
        "Le procureur a choisi une solution sans procès, par exemple un rappel à la loi, une "
        "médiation ou une réparation du dommage. Vous pouvez être contactée pour y participer."),
    Milestone(
        "audience_fixee", "Audience fixée",
        "Un procès aura lieu devant un tribunal. Vous pouvez y assister et demander réparation de "
        "votre préjudice en vous « constituant partie civile » (demander des dommages et intérêts). "
        "Vous recevrez une convocation ou un avis d'audience avec la date et le lieu."),
    Milestone(
        "jugement_rendu", "Jugement rendu",
        "Le tribunal a rendu sa décision. Le service ou votre avocat peut vous en expliquer le "
        "contenu et les suites possibles."),
    Milestone(
        "plainte_cloturee", "Plainte clôturée",
        "Le traitement de votre plainte est terminé au niveau du service. Vous gardez l'accès à "
        "vos documents dans l'application.",
        closes_case=True),
    Milestone(
        "retrait_pris_en_compte", "Demande de retrait prise en compte",
        "Le service a enregistré votre demande de retrait de plainte et l'a transmise. Le procureur de "
        "la République reste libre de poursuivre l'auteur : certaines infractions, comme les violences, "
        "sont poursuivies même sans plainte."),
    Milestone(
        "information", "Information du service",
        "Le service vous donne une information sur votre dossier."),
]}

FIRST_MILESTONE = "plainte_enregistree"


@dataclass(frozen=True)
class DocumentKind:
    code: str
    label: str
    filename_stem: str
    explanation: str


DOCUMENT_KINDS = {k.code: k for k in [
    DocumentKind("recepisse", "Récépissé de dépôt de plainte", "recepisse",
                 "La preuve que vous avez déposé plainte. Votre assurance peut vous la demander."),
    DocumentKind("proces_verbal", "Copie du procès-verbal de plainte", "proces-verbal",
                 "Le texte de votre déclaration, tel qu'il a été écrit et signé au commissariat."),
    DocumentKind("avis", "Avis", "avis",
                 "Un courrier officiel qui vous informe d'une décision ou d'une étape."),
    DocumentKind("convocation", "Convocation", "convocation",
                 "Un document qui vous demande de vous présenter à une date et un lieu précis."),
    DocumentKind("autre", "Autre document", "document", "Un document ajouté par le service."),
]}

CONTENT_TYPE_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def offence_label(code: str) -> str:
    offence = OFFENCES.get(code)
    return offence.label if offence else code


def milestone(code: str) -> Milestone:
    return MILESTONES.get(code) or Milestone(code, "Étape de l'enquête", "")


def document_kind(code: str) -> DocumentKind:
    return DOCUMENT_KINDS.get(code) or DOCUMENT_KINDS["autre"]
