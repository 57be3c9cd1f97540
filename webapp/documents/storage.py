"""Where document bytes live: a folder outside the web root, one file per generated key.

The client's filename never reaches the disk. Another backend (object storage) only needs the same
four methods.
"""
from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path
from typing import BinaryIO

from flask import current_app


class LocalStorage:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not key.isalnum():
            raise ValueError("storage keys are generated hexadecimal strings")
        return self.root / key[:2] / key

    def new_upload_path(self) -> Path:
        """A private temporary file in the storage folder, to receive an upload being checked."""
        tmp = self.root / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        return tmp / secrets.token_hex(16)

    def keep(self, temporary: Path) -> str:
        """Move a checked upload into place and return its generated key."""
        key = secrets.token_hex(20)
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(temporary, target)
        return key

    def open(self, key: str) -> BinaryIO:
        return open(self._path(key), "rb")

    def path(self, key: str) -> Path:
        return self._path(key)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


def document_storage() -> LocalStorage:
    return LocalStorage(current_app.config["DOCUMENTS_DIR"])
