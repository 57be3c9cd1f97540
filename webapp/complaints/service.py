"""Complaints and their timeline: what agents record and what victims are shown."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp import audit
from webapp.audit import Actor
from webapp.catalogue import FIRST_MILESTONE, MILESTONES, OFFENCES
from webapp.extensions import db
from webapp.models import Agent, AgentRole, Complaint, Service, TimelineEvent, utcnow
from webapp.notifications import outbox


class ComplaintError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


PROCEDURE_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/\-_.]{2,39}$")


@dataclass
class ComplaintDetails:
    """What the agent types when the complaint is filed."""

    procedure_number: str
    offence_code: str
    facts_date: date
    facts_place: str
    against_named_person: bool
    suspect_name: str
    investigator_public_id: str | None
    victim_family_name: str
    victim_given_names: str
    victim_birth_date: date
    victim_birth_place: str
    victim_email: str = ""
    victim_phone: str = ""
    victim_birth_place_code: str = ""


def create_complaint(service: Service, details: ComplaintDetails, by: Actor) -> Complaint:
    """Record a complaint for a service, with its first timeline event ("Plainte enregistrée")."""
    number = details.procedure_number.strip()
    if not PROCEDURE_NUMBER.match(number):
        raise ComplaintError("procedure_number", "Le numéro de procédure ne peut contenir que des lettres, "
                                                 "des chiffres et les signes / - _ . (3 à 40 caractères).")
    if details.offence_code not in OFFENCES:
        raise ComplaintError("offence_code", "Choisissez la nature de l'infraction dans la liste.")
    if details.facts_date > date.today():
        raise ComplaintError("facts_date", "La date des faits ne peut pas être dans le futur.")
    if details.victim_birth_place_code and not re.fullmatch(r"[0-9][0-9AB][0-9]{3}", details.victim_birth_place_code):
        raise ComplaintError("victim_birth_place_code", "Le code INSEE a 5 caractères, par exemple 69266 (commune) "
                                                        "ou 99139 (pays de naissance à l'étranger).")
    if not details.victim_email and not details.victim_phone:
        raise ComplaintError("victim_email", "Indiquez au moins une adresse e-mail ou un téléphone portable.")
    investigator = _investigator(service, details.investigator_public_id)
    complaint = Complaint(
        service_id=service.id, procedure_number=number, offence_code=details.offence_code,
        facts_date=details.facts_date, facts_place=details.facts_place.strip(),
        against_named_person=details.against_named_person,
        suspect_name=details.suspect_name.strip() if details.against_named_person else "",
        investigator_id=investigator.id if investigator else None,
        created_by_id=by.agent.id if by.agent else None,
        victim_family_name=details.victim_family_name.strip(),
        victim_given_names=details.victim_given_names.strip(),
        victim_birth_date=details.victim_birth_date, victim_birth_place=details.victim_birth_place.strip(),
        victim_birth_place_code=details.victim_birth_place_code.strip().upper(),
        victim_email=details.victim_email.strip().lower(), victim_phone=details.victim_phone.strip(),
    )
    db.session.add(complaint)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ComplaintError("procedure_number", "Une plainte avec ce numéro de procédure existe déjà "
                                                 "dans votre service.") from None
    db.session.add(TimelineEvent(complaint_id=complaint.id, event_code=FIRST_MILESTONE,
                                 occurred_at=complaint.filed_at, author_id=complaint.created_by_id))
    audit.record("complaint.created", by, complaint=complaint, subject=f"complaint:{complaint.public_id}")
    db.session.commit()
    return complaint


def _investigator(service: Service, public_id: str | None) -> Agent | None:
    if not public_id:
        return None
    agent = db.session.scalar(select(Agent).where(
        Agent.public_id == public_id, Agent.service_id == service.id, Agent.active.is_(True)))
    if agent is None:
        raise ComplaintError("investigator", "Choisissez un enquêteur de votre service.")
    return agent


def reassign(complaint: Complaint, investigator_public_id: str, by: Actor) -> Complaint:
    """Give the complaint to another investigator of the same service."""
    investigator = _investigator(complaint.service, investigator_public_id)
    if investigator is None:
        raise ComplaintError("investigator", "Choisissez un enquêteur de votre service.")
    previous = complaint.investigator.public_id if complaint.investigator else None
    complaint.investigator_id = investigator.id
    audit.record("complaint.reassigned", by, complaint=complaint, subject=f"complaint:{complaint.public_id}",
                 details={"from": previous, "to": investigator.public_id})
    db.session.commit()
    return complaint


def investigators_of(service: Service) -> list[Agent]:
    """Agents of the service that a complaint can be assigned to."""
    return list(db.session.scalars(select(Agent).where(
        Agent.service_id == service.id, Agent.active.is_(True),
        Agent.role.in_([AgentRole.INVESTIGATOR, AgentRole.SERVICE_ADMIN])).order_by(Agent.full_name)))


def post_event(complaint: Complaint, event_code: str, *, note: str = "", visible_to_victim: bool = True,
               occurred_at: datetime | None = None, submission_key: str | None = None,
               by: Actor) -> TimelineEvent:
    """Add a milestone to the complaint's timeline. A repeated submission key adds nothing twice."""
    if event_code not in MILESTONES:
        raise ComplaintError("event_code", "Choisissez une étape dans la liste.")
    if submission_key and (existing := _event_by_submission(submission_key, complaint)):
        return existing
    event = TimelineEvent(complaint_id=complaint.id, event_code=event_code, note=note.strip(),
                          visible_to_victim=visible_to_victim, occurred_at=occurred_at or utcnow(),
                          author_id=by.agent.id if by.agent else None, submission_key=submission_key)
    db.session.add(event)
    try:
        db.session.flush()
    except IntegrityError:  # the same form arrived twice at the same moment
        db.session.rollback()
        return _event_by_submission(submission_key, complaint)
    audit.record("event.posted", by, complaint=complaint, subject=f"event:{event.public_id}",
                 details={"event_code": event_code, "visible_to_victim": visible_to_victim})
    if visible_to_victim:
        outbox.enqueue_for_complaint(complaint, "event")
    db.session.commit()
    outbox.wake_dispatcher()
    return event


def _event_by_submission(key: str, complaint: Complaint) -> TimelineEvent | None:
    return db.session.scalar(select(TimelineEvent).where(
        TimelineEvent.submission_key == key, TimelineEvent.complaint_id == complaint.id))


def timeline_version(complaint: Complaint, *, include_internal: bool) -> tuple:
    """A cheap fingerprint of the timeline, for ETags: changes whenever an event is added."""
    query = select(func.count(TimelineEvent.id), func.max(TimelineEvent.id)).where(
        TimelineEvent.complaint_id == complaint.id)
    if not include_internal:
        query = query.where(TimelineEvent.visible_to_victim.is_(True))
    return tuple(db.session.execute(query).one())


def record_view(complaint: Complaint, by: Actor) -> None:
    """Note in the audit trail that someone opened the complaint."""
    audit.record("complaint.viewed", by, complaint=complaint, subject=f"complaint:{complaint.public_id}")
    db.session.commit()
