"""Victim and service write to each other: read state, attachments without GPS, idempotency, refusals."""
from __future__ import annotations

import io
import re
import threading

import pytest
from PIL import Image
from sqlalchemy import func, select

from tests.factories import (PDF_BYTES, create_agent, create_complaint, create_service, create_victim, png_bytes,
                             sign_in_agent, sign_in_victim)
from tests.notifications.helpers import notifications
from tests.webclient import Client
from webapp.extensions import db
from webapp.models import AgentRole, Message, MessageAttachment


def jpeg_with_gps() -> bytes:
    """A phone photo: EXIF with the place where it was taken (GPS IFD)."""
    image = Image.new("RGB", (40, 30), (120, 160, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"                               # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825), "the test photo must carry GPS"
    return data


@pytest.fixture
def case(app, client, other_client):
    """A victim (client) and an investigator (other_client) on the same complaint, both signed in."""
    service = create_service()
    investigator = create_agent(service, AgentRole.INVESTIGATOR, full_name="Marc Roy", grade="Brigadier")
    victim = create_victim()
    complaint = create_complaint(service, agent=investigator, victim=victim)
    sign_in_victim(client, victim)
    sign_in_agent(other_client, investigator)
    return complaint


def thread_url(complaint) -> str:
    return f"/plaintes/{complaint.public_id}/messages"


def victim_writes(client, complaint, body="", files=(), key=None, headers=None):
    data = {"body": body, "attachments": [(io.BytesIO(content), name) for content, name in files]}
    if key:
        data["submission_key"] = key
    return client.submit(thread_url(complaint), content_type="multipart/form-data", data=data, headers=headers or {})


def count(model=Message) -> int:
    return db.session.scalar(select(func.count(model.id)))


def test_conversation_with_attachment_and_read_receipts(client, other_client, case):
    response = victim_writes(client, case, "J'ai retrouvé la facture du vélo.", [(PDF_BYTES, "facture.pdf")])
    assert response.status_code == 302
    page = client.text(thread_url(case))
    assert "J&#39;ai retrouvé la facture du vélo." in page and "Pas encore lu" in page

    # The agent sees it unread on the dashboard, then opens the complaint: it becomes read.
    dashboard = other_client.text("/agents/?filtre=non-lus")
    assert case.procedure_number in dashboard and "Message non lu" in dashboard
    agent_page = other_client.text(f"/agents/plaintes/{case.public_id}")
    assert "facture.pdf" in agent_page
    link = re.search(r'href="(/agents/plaintes/[^"]+/messages/pieces/[^"]+)"', agent_page).group(1)
    assert other_client.get(link).data == PDF_BYTES
    assert case.procedure_number not in other_client.text("/agents/?filtre=non-lus")
    assert "Lu par le service le" in client.text(thread_url(case))

    # The agent replies; the victim is alerted and reads the reply.
    url = f"/agents/plaintes/{case.public_id}"
    assert other_client.submit(url, action=f"{url}/messages", content_type="multipart/form-data",
                               data={"body": "Merci, je la joins au dossier."}).status_code == 302
    assert [n.reason for n in notifications()] == ["message"]
    assert "1 nouveau message" in client.text(f"/plaintes/{case.public_id}")
    assert "Merci, je la joins au dossier." in client.text(thread_url(case))
    assert "Lu par la victime le" in other_client.text(url)


def test_photo_loses_its_gps_position_before_storage(client, case, app):
    victim_writes(client, case, "Photo de la porte forcée", [(jpeg_with_gps(), "IMG_2041.jpg")])
    attachment = db.session.scalar(select(MessageAttachment))
    from webapp.documents.storage import LocalStorage
    stored = LocalStorage(app.config["DOCUMENTS_DIR"]).path(attachment.storage_key).read_bytes()
    image = Image.open(io.BytesIO(stored))
    exif = image.getexif()
    assert not exif.get_ifd(0x8825) and 0x010F not in exif
    assert image.size == (40, 30)
    import hashlib
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    downloaded = client.get(f"{thread_url(case)}/pieces/{attachment.public_id}").data
    assert not Image.open(io.BytesIO(downloaded)).getexif().get_ifd(0x8825)


def test_same_form_twice_makes_one_message(client, case):
    for _ in range(2):
        assert victim_writes(client, case, "Un seul message", key="form-123").status_code == 302
    assert count() == 1


def test_two_agents_replying_at_once_both_replies_are_kept(app, case):
    colleagues = [create_agent(case.service, AgentRole.INVESTIGATOR) for _ in range(2)]
    clients = [Client(app) for _ in colleagues]
    for c, agent in zip(clients, colleagues):
        sign_in_agent(c, agent)
    url = f"/agents/plaintes/{case.public_id}"
    from tests.webclient import csrf_token_in
    tokens = [csrf_token_in(c.text(url)) for c in clients]
    barrier = threading.Barrier(2)
    results = []

    def reply(c, token, text):
        barrier.wait()
        results.append(c.post(f"{url}/messages", data={"csrf_token": token, "body": text}).status_code)

    threads = [threading.Thread(target=reply, args=(c, t, f"Réponse {i}")) for i, (c, t) in
               enumerate(zip(clients, tokens))]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert results == [302, 302]
    bodies = [m.body for m in db.session.scalars(select(Message).order_by(Message.created_at, Message.id))]
    assert sorted(bodies) == ["Réponse 0", "Réponse 1"]


@pytest.mark.parametrize("body, files, message", [
    ("", [], "Écrivez un message ou joignez un fichier"),
    ("x" * 5001, [], "trop long"),
    ("Voici", [(b"MZ\x90\x00" + b"\x00" * 100, "photo.jpg")], "Seuls les fichiers PDF, JPEG et PNG"),
    ("Voici", [(b"\xff\xd8\xff\xe0garbage" * 10, "photo.jpg")], "abîmée"),
    ("Voici", [(png_bytes(), f"p{i}.png") for i in range(6)], "5 fichiers au plus"),
])
def test_bad_messages_are_refused_and_nothing_is_stored(client, case, app, body, files, message):
    response = victim_writes(client, case, body, files)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert count() == 0 and count(MessageAttachment) == 0
    from pathlib import Path
    assert [p for p in Path(app.config["DOCUMENTS_DIR"]).rglob("*") if p.is_file()] == []


def test_oversize_attachment_is_refused(app_factory):
    app = app_factory(MAX_ATTACHMENT_SIZE=1000)
    client = Client(app)
    with app.app_context():
        victim = create_victim()
        complaint = create_complaint(create_service(), victim=victim)
        sign_in_victim(client, victim)
        response = victim_writes(client, complaint, "gros", [(PDF_BYTES + b" " * 2000, "gros.pdf")])
        assert response.status_code == 422 and "taille maximale" in response.get_data(as_text=True)
        assert count() == 0


def test_html_in_messages_is_shown_as_text_and_links_are_safe(client, other_client, case):
    victim_writes(client, case, '<script>alert(1)</script><img src=x onerror=alert(2)> voir https://exemple.fr/page')
    page = other_client.text(f"/agents/plaintes/{case.public_id}")
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a href="https://exemple.fr/page" rel="noopener noreferrer nofollow">' in page


def test_another_victims_thread_and_attachments_are_404(client, case, app):
    from tests.factories import create_complaint as make
    stranger = create_victim()
    theirs = make(case.service, victim=stranger)
    stranger_client = Client(app)
    sign_in_victim(stranger_client, stranger)
    victim_writes(stranger_client, theirs, "privé", [(PDF_BYTES, "a.pdf")])
    attachment = db.session.scalar(select(MessageAttachment))
    assert client.get(thread_url(theirs)).status_code == 404
    assert client.get(f"{thread_url(theirs)}/pieces/{attachment.public_id}").status_code == 404
    assert client.get(f"{thread_url(case)}/pieces/{attachment.public_id}").status_code == 404
    response = victim_writes(client, case, "x")  # her own works…
    assert response.status_code == 302
    page = client.text(thread_url(case))
    from tests.webclient import csrf_token_in
    posted = client.post(thread_url(theirs), data={"csrf_token": csrf_token_in(page), "body": "intrusion"})
    assert posted.status_code == 404  # …not someone else's
    assert "intrusion" not in [m.body for m in db.session.scalars(select(Message))]


def test_agent_of_another_service_cannot_read_or_reply(app, client, case):
    outsider = create_agent(create_service())
    outsider_client = Client(app)
    sign_in_agent(outsider_client, outsider)
    url = f"/agents/plaintes/{case.public_id}"
    assert outsider_client.get(url).status_code == 404
    response = outsider_client.submit("/agents/", action=f"{url}/messages", data={"body": "intrusion"})
    assert response.status_code == 404 and count() == 0


def test_htmx_send_returns_the_thread_with_a_fresh_form(client, case):
    response = victim_writes(client, case, "Par htmx", key="k-1", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith('<section id="fil"')
    assert "Par htmx" in body and 'value="k-1"' not in body
