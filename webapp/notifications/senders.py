"""Delivery on each channel: web push (pywebpush encryption, our own HTTP), and email over SMTP.

Senders work on plain data (jobs), in worker threads, with no database access.
"""
from __future__ import annotations

import email.utils
import logging
import smtplib
import ssl
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

import requests
from pywebpush import WebPusher
from requests.adapters import HTTPAdapter

from webapp.models import Complaint
from webapp.notifications.outbox import ALERT_BODY, complaint_path

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    notification_id: int
    outcome: str  # sent | gone | retry | rejected | cancelled
    status_code: int | None
    detail: str
    retry_after: float | None = None
    duration_ms: int = 0


@dataclass
class PushJob:
    notification_id: int
    endpoint: str
    p256dh: str
    auth: str
    payload: bytes
    topic: str


@dataclass
class EmailJob:
    notification_id: int
    to: str
    message: EmailMessage


def retry_after_seconds(value: str | None) -> float | None:
    """``Retry-After`` as seconds, from either of its two forms (delay or HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    parsed = email.utils.parsedate_to_datetime(value)
    if parsed is None:
        return None
    from datetime import datetime, timezone
    return max(0.0, (parsed - datetime.now(timezone.utc)).total_seconds())


def classify(notification_id: int, response: requests.Response) -> Outcome:
    code = response.status_code
    if 200 <= code < 300:
        return Outcome(notification_id, "sent", code, "accepté par le service de notification")
    if code in (404, 410):
        return Outcome(notification_id, "gone", code, "abonnement expiré ou retiré")
    if code == 429 or code >= 500:
        return Outcome(notification_id, "retry", code, f"service de notification indisponible ({code})",
                       retry_after_seconds(response.headers.get("Retry-After")))
    if 300 <= code < 400:
        return Outcome(notification_id, "rejected", code, "redirection refusée (jamais suivie)")
    return Outcome(notification_id, "rejected", code, f"refusé par le service de notification ({code})")


class PushSender:
    """Encrypts with pywebpush (aes128gcm) and POSTs over kept-alive connections, one session per thread."""

    def __init__(self, signer, *, ttl: int, timeout: float, verify, urgency: str = "normal"):
        self.signer = signer
        self.ttl = ttl
        self.timeout = timeout
        self.verify = verify
        self.urgency = urgency
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.mount("https://", HTTPAdapter(pool_connections=4, pool_maxsize=4, max_retries=0))
            session.trust_env = False  # no proxy from the environment in front of the push services
            self._local.session = session
        return session

    def send(self, job: PushJob) -> Outcome:
        subscription = {"endpoint": job.endpoint, "keys": {"p256dh": job.p256dh, "auth": job.auth}}
        body = WebPusher(subscription).encode(job.payload, content_encoding="aes128gcm")["body"]
        headers = {"Authorization": self.signer.authorization(job.endpoint), "TTL": str(self.ttl),
                   "Urgency": self.urgency, "Topic": job.topic, "Content-Encoding": "aes128gcm",
                   "Content-Type": "application/octet-stream"}
        try:
            response = self._session().post(job.endpoint, data=body, headers=headers, timeout=self.timeout,
                                            allow_redirects=False, verify=self.verify)
        except requests.Timeout:
            return Outcome(job.notification_id, "retry", None, "délai dépassé")
        except requests.RequestException as error:
            return Outcome(job.notification_id, "retry", None, f"connexion impossible ({type(error).__name__})")
        return classify(job.notification_id, response)


class EmailSender:
    """The same minimal message by email, with a link to the app. Without SMTP configured (embedded
    mode), the message is written to the log instead, so the demonstration shows it."""

    def __init__(self, config):
        self.host = config.get("SMTP_HOST")
        self.port = int(config.get("SMTP_PORT") or 587)
        self.security = config.get("SMTP_SECURITY") or "starttls"
        self.username = config.get("SMTP_USERNAME")
        self.password = config.get("SMTP_PASSWORD")
        self.sender = config.get("MAIL_FROM") or "Suivi Plainte <ne-pas-repondre@suivi-plainte.example>"
        self.public_url = (config.get("PUBLIC_URL") or "http://127.0.0.1:5000").rstrip("/")
        self.timeout = config.get("SMTP_TIMEOUT_SECONDS", 10)

    def message_for(self, complaint: Complaint) -> EmailMessage:
        link = f"{self.public_url}{complaint_path(complaint)}"
        message = EmailMessage()
        message["Subject"] = ALERT_BODY
        message["From"] = self.sender
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(
            f"Bonjour,\n\n{ALERT_BODY}.\n\nPour savoir ce qui a changé, connectez-vous à votre espace "
            f"Suivi Plainte :\n{link}\n\nPour votre sécurité, ce message ne contient aucun détail de votre "
            f"dossier.\n\nPour choisir comment recevoir ces alertes : {self.public_url}/mes-alertes\n\n"
            "Ceci est un message automatique : merci de ne pas y répondre.\n")
        return message

    def send(self, job: EmailJob) -> Outcome:
        message = job.message
        del message["To"]
        message["To"] = job.to
        if not self.host:
            log.info("email alert (no SMTP configured):\n%s", message)
            return Outcome(job.notification_id, "sent", None, "écrit dans le journal (pas de SMTP configuré)")
        try:
            self._deliver(message)
        except smtplib.SMTPRecipientsRefused as error:
            return Outcome(job.notification_id, "rejected", None, f"adresse refusée : {error}"[:300])
        except (smtplib.SMTPException, OSError) as error:
            return Outcome(job.notification_id, "retry", None, f"serveur de messagerie : {error}"[:300])
        return Outcome(job.notification_id, "sent", None, f"remis au serveur {urlsplit('//' + self.host).hostname}")

    def _deliver(self, message: EmailMessage) -> None:
        if self.security == "ssl":
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if self.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if self.username:
                client.login(self.username, self.password or "")
            client.send_message(message)
