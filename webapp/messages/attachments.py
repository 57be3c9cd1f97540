"""Files joined to messages: the same content checks as documents, and no hidden location data.

Photos taken on a phone carry EXIF metadata, often the GPS position where they were taken — for a
victim, possibly her home. Images are re-encoded without any metadata before they are stored.
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from PIL import Image, ImageOps

from webapp.documents.checks import CheckedUpload, UploadRejected, receive_upload
from webapp.documents.storage import LocalStorage


def strip_image_metadata(checked: CheckedUpload) -> CheckedUpload:
    """Rewrite a JPEG or PNG without EXIF, XMP, text chunks or ICC profile (orientation applied)."""
    if checked.content_type not in ("image/jpeg", "image/png"):
        return checked
    with Image.open(checked.path) as image:
        upright = ImageOps.exif_transpose(image)
        if checked.content_type == "image/jpeg":
            clean = upright.convert("RGB")
            buffer = io.BytesIO()
            clean.save(buffer, "JPEG", quality=90, optimize=True)
        else:
            clean = upright.copy()
            clean.info = {}
            buffer = io.BytesIO()
            clean.save(buffer, "PNG", optimize=True)
    data = buffer.getvalue()
    Path(checked.path).write_bytes(data)
    return CheckedUpload(checked.path, checked.content_type, len(data), hashlib.sha256(data).hexdigest())


def receive_attachments(files, storage: LocalStorage, *, max_size: int, max_count: int) -> list[tuple]:
    """Check every file first; keep them only if all are acceptable. Returns (checked, storage_key, name)."""
    files = [f for f in files if f and getattr(f, "filename", "")]
    if len(files) > max_count:
        raise UploadRejected(f"Vous pouvez joindre {max_count} fichiers au plus par message.")
    checked = []
    try:
        for upload in files:
            try:
                result = strip_image_metadata(receive_upload(upload.stream, storage.new_upload_path(), max_size))
            except UploadRejected as rejected:
                raise UploadRejected(f"« {upload.filename[:80]} » : {rejected.message}") from None
            checked.append((result, upload.filename))
    except BaseException:
        for result, _ in checked:
            result.path.unlink(missing_ok=True)
        raise
    return [(result, storage.keep(result.path), name) for result, name in checked]
