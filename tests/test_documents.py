"""Document uploads: type from content, size limit, generated storage keys; nothing kept on refusal."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import PDF_BYTES, create_agent, create_complaint, create_service, png_bytes, sign_in_agent
from webapp.extensions import db
from webapp.models import AuditEntry, Document

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


@pytest.fixture
def agent_on_complaint(app, client):
    service = create_service()
    agent = create_agent(service)
    complaint = create_complaint(service, agent=agent)
    sign_in_agent(client, agent)
    return complaint


def upload(client, complaint, content: bytes, filename: str, kind: str = "recepisse", **extra):
    url = f"/agents/plaintes/{complaint.public_id}"
    return client.submit(url, action=f"{url}/documents", content_type="multipart/form-data",
                         data={"kind": kind, "file": (io.BytesIO(content), filename), **extra})


def stored_files(app) -> list[Path]:
    root = Path(app.config["DOCUMENTS_DIR"])
    return [p for p in root.rglob("*") if p.is_file()]


def test_pdf_is_stored_under_a_generated_key_with_its_hash(app, client, agent_on_complaint):
    response = upload(client, agent_on_complaint, PDF_BYTES, "../../etc/passwd.pdf")
    assert response.status_code == 302
    document = db.session.scalar(select(Document))
    assert document.content_type == "application/pdf"
    assert document.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert document.size_bytes == len(PDF_BYTES)
    files = stored_files(app)
    assert len(files) == 1 and files[0].read_bytes() == PDF_BYTES
    assert files[0].name == document.storage_key and "passwd" not in str(files[0])
    assert Path(app.config["DOCUMENTS_DIR"]).resolve() in files[0].resolve().parents
    assert not str(files[0].resolve()).startswith(str(Path(app.static_folder).resolve()))
    assert document.original_filename == "passwd.pdf"  # shown to agents only, never a path


def test_png_is_accepted_and_type_comes_from_content(app, client, agent_on_complaint):
    assert upload(client, agent_on_complaint, png_bytes(), "photo.pdf").status_code == 302
    assert db.session.scalar(select(Document.content_type)) == "image/png"


@pytest.mark.parametrize("content, filename, message", [
    (EXE, "recepisse.pdf", "Seuls les fichiers PDF, JPEG et PNG"),
    (b"", "vide.pdf", "Le fichier est vide"),
    (b"%PDF-1.4\n1 0 obj<<>>endobj\n", "tronque.pdf", "incomplet"),
    (b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "faux.png", "abîmée"),
    (b"\xff\xd8\xff\xe0" + b"not a jpeg" * 10, "faux.jpg", "abîmée"),
    (b"<html><script>alert(1)</script></html>", "page.pdf", "Seuls les fichiers PDF, JPEG et PNG"),
])
def test_bad_files_are_refused_politely_and_nothing_is_kept(app, client, agent_on_complaint, content, filename, message):
    response = upload(client, agent_on_complaint, content, filename)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Document.id))) == 0
    assert stored_files(app) == []
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "document.rejected")) == 1


def test_file_over_the_configured_limit_is_refused(app_factory):
    app = app_factory(MAX_DOCUMENT_SIZE=2000, MAX_ATTACHMENT_SIZE=2000, MAX_ATTACHMENTS=1)
    from tests.webclient import Client
    client = Client(app)
    with app.app_context():
        service = create_service()
        agent = create_agent(service)
        complaint = create_complaint(service, agent=agent)
        sign_in_agent(client, agent)
        big_pdf = PDF_BYTES[:-6] + b" " * 5000 + b"%%EOF\n"
        response = upload(client, complaint, big_pdf, "gros.pdf")
        assert response.status_code == 422
        assert "taille maximale" in response.get_data(as_text=True)
        huge = upload(client, complaint, PDF_BYTES + b" " * 400_000, "enorme.pdf")
        assert huge.status_code == 413
        assert "trop lourd" in huge.get_data(as_text=True)
        assert db.session.scalar(select(func.count(Document.id))) == 0
        assert stored_files(app) == []


def test_same_upload_form_sent_twice_keeps_one_document(app, client, agent_on_complaint):
    first = upload(client, agent_on_complaint, PDF_BYTES, "a.pdf", submission_key="key-123")
    second = upload(client, agent_on_complaint, PDF_BYTES, "a.pdf", submission_key="key-123")
    assert first.status_code == second.status_code == 302
    assert db.session.scalar(select(func.count(Document.id))) == 1
    assert len(stored_files(app)) == 1


def test_agent_downloads_a_document_and_it_is_audited(app, client, agent_on_complaint):
    upload(client, agent_on_complaint, PDF_BYTES, "a.pdf")
    document = db.session.scalar(select(Document))
    response = client.get(f"/agents/plaintes/{agent_on_complaint.public_id}/documents/{document.public_id}")
    assert response.status_code == 200 and response.data == PDF_BYTES
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "document.downloaded")) == 1
