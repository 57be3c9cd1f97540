"""The whole path over HTTP: an agent files and enrols, the victim activates and follows her complaint."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

from sqlalchemy import select

from tests.factories import PDF_BYTES, create_agent, create_service, sign_in_agent
from webapp.extensions import db
from webapp.models import AgentRole, AuditEntry, Complaint

CODE = re.compile(r'<p class="code"[^>]*>([A-Z0-9-]+)</p>')


def new_complaint_form(investigator_public_id: str, **overrides) -> dict:
    form = {
        "procedure_number": "2026/012345", "offence_code": "cambriolage",
        "facts_date": (date.today() - timedelta(days=2)).isoformat(), "facts_place": "8 rue des Lilas, Lyon",
        "against": "x", "suspect_name": "", "investigator": investigator_public_id,
        "victim_family_name": "Moreau", "victim_given_names": "Inès Claire", "victim_birth_date": "1979-02-03",
        "victim_birth_place": "Lille (59)", "victim_email": "ines.moreau@example.org", "victim_phone": "",
    }
    form.update(overrides)
    return form


def test_victim_follows_her_complaint_from_filing_to_download(app, client, other_client):
    service = create_service("Commissariat de Lille centre", show_investigator=True)
    desk_agent = create_agent(service, AgentRole.AGENT)
    investigator = create_agent(service, AgentRole.INVESTIGATOR, full_name="Paul Petit", grade="Capitaine")

    # The agent at the desk records the complaint.
    sign_in_agent(client, desk_agent)
    response = client.submit("/agents/plaintes/nouvelle", data=new_complaint_form(investigator.public_id))
    assert response.status_code == 302, response.get_data(as_text=True)
    complaint_url = response.headers["Location"]
    assert "/agents/plaintes/" in complaint_url

    # ... adds the receipt and a milestone with a note for the victim, and an internal one.
    page = client.text(complaint_url)
    assert "MOREAU" in page and "2026/012345" in page
    response = client.submit(complaint_url, action=f"{complaint_url}/documents", data={
        "kind": "recepisse", "file": (io.BytesIO(PDF_BYTES), "scan 0001.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    client.submit(complaint_url, action=f"{complaint_url}/etapes", data={
        "event_code": "enquete_en_cours", "note": "Les voisins ont été interrogés."})
    client.submit(complaint_url, action=f"{complaint_url}/etapes", data={
        "event_code": "information", "note": "Piste sur un suspect du quartier", "internal": "y"})

    # ... and prints the activation letter.
    letter = client.submit(complaint_url, action=f"{complaint_url}/lettre-activation")
    assert letter.status_code == 200
    letter_html = letter.get_data(as_text=True)
    code = CODE.search(letter_html).group(1)
    assert "<svg" in letter_html and "Commissariat de Lille centre" in letter_html
    assert f"/activation#code={code}" in letter_html.replace("&#x3D;", "=") or "QR" in letter_html

    # The victim, on her phone, types the code and her birth date, then chooses a password.
    victim = other_client
    response = victim.submit("/activation", data={
        "code": code.lower().replace("-", " "), "birth_day": "3", "birth_month": "2", "birth_year": "1979"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/activation/compte")
    response = victim.submit("/activation/compte", data={
        "email": "ines.moreau@example.org", "password": "mon chat s'appelle Filou",
        "password_confirmation": "mon chat s'appelle Filou"})
    assert response.status_code == 302 and response.headers["Location"] == "/mes-plaintes"
    listing = victim.text("/mes-plaintes")
    assert "2026/012345" in listing and "est maintenant dans votre espace" in listing
    complaint_page_url = re.search(r'href="(/plaintes/[^"]+)"', listing).group(1)

    page = victim.text(complaint_page_url)
    assert "Cambriolage" in page and "2026/012345" in page
    assert "Enquête en cours" in page and "Les voisins ont été interrogés." in page
    assert "Plainte enregistrée" in page
    assert "Piste sur un suspect" not in page  # internal events stay internal
    assert "Capitaine Paul Petit" in page and "Commissariat de Lille centre" in page
    # Newest first: the investigation milestone comes before the registration.
    assert page.index("Enquête en cours") < page.index("Plainte enregistrée")

    # She downloads her receipt with a meaningful name.
    link = re.search(r'href="(/plaintes/[^"]+/documents/[^"]+)"', page).group(1)
    download = victim.get(link)
    assert download.status_code == 200
    assert download.data == PDF_BYTES
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "recepisse-plainte-2026-012345.pdf" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"

    # Everything is in the audit trail.
    complaint = db.session.scalar(select(Complaint).where(Complaint.procedure_number == "2026/012345"))
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.complaint_id == complaint.id)))
    assert {"complaint.created", "document.uploaded", "event.posted", "activation_code.issued",
            "activation.succeeded", "complaint.viewed", "document.downloaded"} <= actions


def test_signed_in_victim_adds_a_second_complaint_with_its_code(app, client):
    from tests.factories import create_complaint, create_victim, issue_code, sign_in_victim
    service = create_service()
    victim = create_victim()
    create_complaint(service, victim=victim, procedure_number="2026/000001")
    second = create_complaint(service, procedure_number="2026/000002")
    code = issue_code(second)
    sign_in_victim(client, victim)
    response = client.submit("/activation", data={"code": code, "birth_day": "14", "birth_month": "7",
                                                  "birth_year": "1990"})
    assert response.headers["Location"].endswith("/activation/compte")
    assert "Ajouter la plainte" in client.text("/activation/compte")
    response = client.submit("/activation/compte")
    assert response.status_code == 302
    listing = client.text("/mes-plaintes")
    assert "2026/000001" in listing and "2026/000002" in listing
