"""A push service for the tests, on https://127.0.0.1, that behaves like the real ones where it matters.

It checks the VAPID ``Authorization`` header (ES256 signature against the key it carries, ``aud``,
``exp`` at most 24 h ahead, ``sub``), requires a ``TTL``, **decrypts** the aes128gcm body with the
subscriber's private key, and answers 201 — or, on demand, 410, 429 with Retry-After, 503, 400, 413,
or hangs. Subscribers are generated here (P-256 key pair and 16-byte auth secret), like a browser.
"""
from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import secrets
import ssl
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import http_ece
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Delivery:
    token: str
    plaintext: bytes
    headers: dict
    jwt_claims: dict
    jwt: str

    @property
    def payload(self) -> dict:
        return json.loads(self.plaintext)


@dataclass
class Subscriber:
    token: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    endpoint: str
    deliveries: list = field(default_factory=list)

    def subscription_info(self) -> dict:
        public = self.private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                            serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": self.endpoint, "expirationTime": None,
                "keys": {"p256dh": b64url(public), "auth": b64url(self.auth_secret)}}


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
                   .not_valid_after(now + datetime.timedelta(days=2))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "push-service.pem", directory / "push-service.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class PushService:
    def __init__(self, directory: Path, *, delay: float = 0.0):
        self.cert_path, key_path = self_signed_certificate(directory)
        self.delay = delay
        self.subscribers: dict[str, Subscriber] = {}
        self.script: deque = deque()  # answers to give next: (status, extra headers) or ("hang", seconds)
        self.rejections: list[str] = []
        self.connections = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, key_path)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.origin = f"https://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    # ---- for the tests ----

    def new_subscriber(self) -> Subscriber:
        token = secrets.token_urlsafe(12)
        subscriber = Subscriber(token, ec.generate_private_key(ec.SECP256R1()), secrets.token_bytes(16),
                                f"{self.origin}/push/{token}")
        self.subscribers[token] = subscriber
        return subscriber

    def answer_next(self, *answers) -> None:
        """Queue answers: 201, 410, (429, {"Retry-After": "120"}), 503, ("hang", 3)…"""
        for answer in answers:
            self.script.append(answer if isinstance(answer, tuple) else (answer, {}))

    @property
    def deliveries(self) -> list[Delivery]:
        return [d for s in self.subscribers.values() for d in s.deliveries]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ---- checks a real push service makes ----

    def _check_vapid(self, authorization: str) -> tuple[dict, str]:
        if not authorization.startswith("vapid "):
            raise PermissionError("no VAPID authorization")
        parts = dict(item.strip().split("=", 1) for item in authorization[6:].split(","))
        token, key = parts["t"], parts["k"]
        header_b64, claims_b64, signature_b64 = token.split(".")
        header = json.loads(unb64url(header_b64))
        if header.get("alg") != "ES256":
            raise PermissionError(f"alg {header.get('alg')}")
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        signature = unb64url(signature_b64)
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
        try:
            public_key.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            raise PermissionError("bad VAPID signature") from None
        claims = json.loads(unb64url(claims_b64))
        if claims.get("aud") != self.origin:
            raise PermissionError(f"aud {claims.get('aud')}")
        if not time.time() < claims.get("exp", 0) <= time.time() + 24 * 3600:
            raise PermissionError("exp not within 24 h")
        if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
            raise PermissionError("sub")
        return claims, token

    def _handler(self):
        service = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self):
                super().setup()
                with service.lock:
                    service.connections += 1

            def log_message(self, *args):
                pass

            def _answer(self, status: int, headers: dict | None = None):
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def _json(self, data: dict):
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):  # for a push service running in its own process (benchmarks)
                if self.path == "/stats":
                    return self._json({"deliveries": len(service.deliveries), "rejections": service.rejections})
                self._answer(404)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path == "/subscribers":
                    return self._json(service.new_subscriber().subscription_info())
                token = self.path.rsplit("/", 1)[-1]
                subscriber = service.subscribers.get(token)
                if subscriber is None:
                    return self._answer(404)
                try:
                    claims, jwt = service._check_vapid(self.headers.get("Authorization", ""))
                except (PermissionError, KeyError, ValueError) as error:
                    service.rejections.append(str(error))
                    return self._answer(403)
                if "TTL" not in self.headers or self.headers.get("Content-Encoding") != "aes128gcm":
                    service.rejections.append("TTL or Content-Encoding missing")
                    return self._answer(400)
                plaintext = http_ece.decrypt(body, private_key=subscriber.private_key,
                                             auth_secret=subscriber.auth_secret, version="aes128gcm")
                status, headers = service.script.popleft() if service.script else (201, {})
                if status == "hang":
                    time.sleep(headers)
                    return self._answer(201)
                if service.delay:
                    time.sleep(service.delay)
                if status == 201:
                    with service.lock:
                        subscriber.deliveries.append(Delivery(token, plaintext, dict(self.headers), claims, jwt))
                self._answer(status, headers)

        return Handler


if __name__ == "__main__":  # python -m tests.push_service --delay 0.05 --dir /tmp/x
    import argparse
    import sys
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before answering each push")
    parser.add_argument("--dir", type=Path, required=True, help="where to write the TLS certificate")
    arguments = parser.parse_args()
    running = PushService(arguments.dir, delay=arguments.delay)
    print(json.dumps({"port": running.port, "cert": str(running.cert_path)}), flush=True)
    sys.stdin.read()  # until the parent closes our stdin
