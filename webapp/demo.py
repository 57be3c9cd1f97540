"""Demonstration data: one service, one agent per role, a victim with two complaints (a thread of
messages, a pending withdrawal request), and one complaint waiting for activation; real PDFs."""
from __future__ import annotations

import io
import json
import secrets
from datetime import date, timedelta
from pathlib import Path

from flask import current_app, url_for
from fpdf import FPDF
from werkzeug.datastructures import FileStorage
from sqlalchemy import select

from webapp.audit import Actor
from webapp.auth.passwords import hash_password
from webapp.complaints.service import ComplaintDetails, create_complaint, post_event
from webapp.documents.service import add_document
from webapp.enrolment.letter import activation_url
from webapp.enrolment.service import issue_activation_code
from webapp.extensions import db
from webapp.messages.service import send_message
from webapp.messages.withdrawal import request_withdrawal
from webapp.models import Agent, AgentRole, Complaint, Service, VictimAccount

DEMO_SERVICE = "Commissariat de police de Lyon 3e arrondissement (démonstration)"
DEMO_BIRTH_DATE = date(1988, 5, 14)
DEMO_VICTIM_EMAIL = "camille.martin@example.org"
AGENTS = [
    ("accueil@demo.suivi-plainte.fr", "Julie Bernard", "Gardienne de la paix", AgentRole.AGENT),
    ("enqueteur@demo.suivi-plainte.fr", "Karim Benali", "Brigadier-chef", AgentRole.INVESTIGATOR),
    ("chef@demo.suivi-plainte.fr", "Anne Lefèvre", "Commandante", AgentRole.SERVICE_ADMIN),
]


def credentials_file() -> Path:
    return Path(current_app.instance_path) / "demo-logins.json"


def seed_if_empty() -> bool:
    """Create the demonstration data unless the demo service exists. True if it was created."""
    if db.session.scalar(select(Service).where(Service.name == DEMO_SERVICE)) is not None:
        return False
    service = Service(name=DEMO_SERVICE, address="40 rue Marius Berliet, 69008 Lyon",
                      phone="04 78 78 40 40", email="commissariat-lyon3@demo.suivi-plainte.fr",
                      opening_hours="Accueil ouvert 24 h/24, 7 jours sur 7. Enquêteurs : du lundi au vendredi, 9 h – 18 h.",
                      procedure_number_hint="AAAA/NNNNNN")
    db.session.add(service)
    db.session.flush()
    passwords = {}
    for email, name, grade, role in AGENTS:
        passwords[email] = secrets.token_urlsafe(9)
        db.session.add(Agent(service_id=service.id, email=email, full_name=name, grade=grade, role=role,
                             password_hash=hash_password(passwords[email])))
    passwords[DEMO_VICTIM_EMAIL] = secrets.token_urlsafe(9)
    victim = VictimAccount(email=DEMO_VICTIM_EMAIL, password_hash=hash_password(passwords[DEMO_VICTIM_EMAIL]))
    if current_app.config["DEV_IDP_ENABLED"]:  # she can also come in through the local "FranceConnect"
        victim.fc_issuer = url_for("devidp_franceconnect.discovery", _external=True).rsplit("/.well-known", 1)[0]
        victim.fc_sub = "fc-camille-martin"
    db.session.add(victim)
    db.session.commit()
    path = credentials_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(passwords, indent=2))
    path.chmod(0o600)
    _seed_complaints(service, victim)
    return True


def _seed_complaints(service: Service, victim: VictimAccount) -> None:
    agent = db.session.scalar(select(Agent).where(Agent.email == AGENTS[0][0]))
    investigator = db.session.scalar(select(Agent).where(Agent.email == AGENTS[1][0]))
    by = Actor.system("démonstration")
    by_agent = Actor.for_agent(agent)
    today = date.today()
    burglary = create_complaint(service, ComplaintDetails(
        procedure_number=f"{today.year}/004211", offence_code="cambriolage", facts_date=today - timedelta(days=40),
        facts_place="12 rue Paul Bert, 69003 Lyon (domicile)", against_named_person=False, suspect_name="",
        investigator_public_id=investigator.public_id, victim_family_name="Martin",
        victim_given_names="Camille Louise", victim_birth_date=DEMO_BIRTH_DATE, victim_birth_place="Villeurbanne (69)", victim_birth_place_code="69266",
        victim_email=DEMO_VICTIM_EMAIL, victim_phone="06 12 34 56 78"), by_agent)
    _attach_pdf(burglary, "recepisse", by_agent)
    _attach_pdf(burglary, "proces_verbal", by_agent)
    post_event(burglary, "enquete_en_cours", note="Des traces ont été relevées par la police technique.", by=by)
    post_event(burglary, "information", note="Vérification des images de vidéoprotection du quartier.",
               visible_to_victim=False, by=by)
    fraud = create_complaint(service, ComplaintDetails(
        procedure_number=f"{today.year}/005873", offence_code="escroquerie", facts_date=today - timedelta(days=12),
        facts_place="Site de petites annonces en ligne", against_named_person=False, suspect_name="",
        investigator_public_id=investigator.public_id, victim_family_name="Martin",
        victim_given_names="Camille Louise", victim_birth_date=DEMO_BIRTH_DATE, victim_birth_place="Villeurbanne (69)", victim_birth_place_code="69266",
        victim_email=DEMO_VICTIM_EMAIL), by_agent)
    _attach_pdf(fraud, "recepisse", by_agent)
    vandalism = create_complaint(service, ComplaintDetails(
        procedure_number=f"{today.year}/003150", offence_code="degradation", facts_date=today - timedelta(days=70),
        facts_place="Parking de la rue Servient, 69003 Lyon", against_named_person=True, suspect_name="Voisin",
        investigator_public_id=investigator.public_id, victim_family_name="Martin",
        victim_given_names="Camille Louise", victim_birth_date=DEMO_BIRTH_DATE, victim_birth_place="Villeurbanne (69)", victim_birth_place_code="69266",
        victim_email=DEMO_VICTIM_EMAIL), by_agent)
    _attach_pdf(vandalism, "recepisse", by_agent)
    burglary.victim_account_id = vandalism.victim_account_id = victim.id
    db.session.commit()
    as_victim = Actor.for_victim(victim)
    invoice = FileStorage(io.BytesIO(demo_pdf(burglary, "autre")), filename="facture-ordinateur.pdf")
    send_message(burglary, "Bonjour, j'ai retrouvé la facture de l'ordinateur volé, je vous la joins. "
                           "Un voisin dit avoir vu une camionnette blanche ce jour-là.", [invoice],
                 by=as_victim, submission_key=None)
    send_message(burglary, "Bonjour Madame, merci : la facture est jointe au dossier. Pouvez-vous me donner "
                           "le numéro de téléphone de ce voisin ? Il pourra être entendu comme témoin.", [],
                 by=Actor.for_agent(investigator), submission_key=None)
    request_withdrawal(vandalism, "Le voisin a remboursé les réparations de la voiture.", as_victim)


def _attach_pdf(complaint: Complaint, kind: str, by: Actor) -> None:
    add_document(complaint, io.BytesIO(demo_pdf(complaint, kind)), kind=kind,
                 original_filename=f"{kind}.pdf", visible_to_victim=True, by=by)


def demo_pdf(complaint: Complaint, kind: str) -> bytes:
    """A real, small PDF document of the given kind for a complaint."""
    from webapp.catalogue import document_kind, offence_label
    pdf = FPDF(format="A4")
    pdf.set_title(document_kind(kind).label)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 10, document_kind(kind).label, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    lines = [
        complaint.service.name, complaint.service.address, "",
        f"Numéro de procédure : {complaint.procedure_number}",
        f"Plaignante : {complaint.victim_full_name}, née le {complaint.victim_birth_date:%d/%m/%Y}",
        f"Infraction : {offence_label(complaint.offence_code)}",
        f"Date des faits : {complaint.facts_date:%d/%m/%Y}", f"Lieu : {complaint.facts_place}", "",
        "Document de démonstration généré par Suivi Plainte. Il n'a aucune valeur officielle.",
    ]
    for line in lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def issue_codes(print_line=print) -> None:  # noqa: C901
    """Print the agents' logins and fresh activation codes for demo complaints not yet activated."""
    service = db.session.scalar(select(Service).where(Service.name == DEMO_SERVICE))
    if service is None:
        return
    passwords = json.loads(credentials_file().read_text()) if credentials_file().exists() else {}
    print_line("")
    print_line("=== Suivi Plainte : données de démonstration ===")
    print_line("Agents (espace agents : /agents/connexion) :")
    for email, name, grade, role in AGENTS:
        print_line(f"  {role.label:<26} {email}  mot de passe : {passwords.get(email, '(voir instance/demo-logins.json)')}")
    print_line("Victime déjà inscrite (connexion : /connexion), deux plaintes, des messages, un retrait en attente :")
    print_line(f"  {DEMO_VICTIM_EMAIL}  mot de passe : {passwords.get(DEMO_VICTIM_EMAIL, '(voir instance/demo-logins.json)')}")
    if current_app.config["DEV_IDP_ENABLED"]:
        print_line("  ou « S'identifier avec FranceConnect » (fournisseur local) : choisir Camille Louise MARTIN")
        print_line("Agents : « S'identifier avec ProConnect » (fournisseur local) : choisir Karim Benali ou Anne Lefèvre")
    complaints = db.session.scalars(select(Complaint).where(
        Complaint.service_id == service.id, Complaint.victim_account_id.is_(None)).order_by(Complaint.id))
    by = Actor.system("démonstration")
    for complaint in complaints:
        issued = issue_activation_code(complaint, by)
        print_line(f"Plainte {complaint.procedure_number} ({complaint.offence_code}) de {complaint.victim_full_name}, "
                   "à activer (nouvel espace, ou à ajouter après connexion) :")
        print_line(f"  ouvrir  {activation_url(issued.code)}")
        print_line(f"  code    {issued.code}   date de naissance : {DEMO_BIRTH_DATE:%d/%m/%Y}")
    print_line("================================================")
