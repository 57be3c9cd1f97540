"""Upload checks: size counted while reading, type from the content (never the name or the browser)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

CHUNK = 64 * 1024
PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class UploadRejected(Exception):
    """A file we do not keep; ``message`` tells the person why, in plain words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UploadTooLarge(UploadRejected):
    """Over the size limit (the API answers 413)."""


@dataclass
class CheckedUpload:
    path: Path
    content_type: str
    size_bytes: int
    sha256: str


def receive_upload(stream: BinaryIO, destination: Path, max_size: int) -> CheckedUpload:
    """Copy an upload to ``destination`` while counting and hashing it, then check what it really is.

    The file is deleted again if anything is wrong.
    """
    digest = hashlib.sha256()
    size = 0
    try:
        with open(destination, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_size:
                    raise UploadTooLarge(f"Le fichier dépasse la taille maximale de {_megabytes(max_size)}.")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadRejected("Le fichier est vide.")
        content_type = sniff_content_type(destination)
    except BaseException:
        destination.unlink(missing_ok=True)
        raise
    return CheckedUpload(destination, content_type, size, digest.hexdigest())


def sniff_content_type(path: Path) -> str:
    """The real type of a PDF, JPEG or PNG file, checked from its bytes; anything else is refused."""
    with open(path, "rb") as handle:
        head = handle.read(16)
    if head.startswith(PDF_MAGIC):
        if not _pdf_is_complete(path):
            raise UploadRejected("Ce PDF semble incomplet ou abîmé. Enregistrez-le à nouveau et réessayez.")
        return "application/pdf"
    if head.startswith(JPEG_MAGIC) or head.startswith(PNG_MAGIC):
        expected = "JPEG" if head.startswith(JPEG_MAGIC) else "PNG"
        _check_image(path, expected)
        return "image/jpeg" if expected == "JPEG" else "image/png"
    raise UploadRejected("Seuls les fichiers PDF, JPEG et PNG sont acceptés. Ce fichier n'en est pas un, "
                         "même si son nom peut le laisser croire.")


def _pdf_is_complete(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - 2048))
        return b"%%EOF" in handle.read()


def _check_image(path: Path, expected_format: str) -> None:
    try:
        with Image.open(path) as image:
            if image.format != expected_format:
                raise UploadRejected("Cette image est dans un format qui n'est pas accepté.")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UploadRejected("Cette image est abîmée ou n'est pas une vraie image JPEG ou PNG.") from None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} Mo".replace(".", ",")
