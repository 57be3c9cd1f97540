"""Reading JSON request bodies: each problem names its field."""
from __future__ import annotations

from datetime import date, datetime, timezone

from webapp.api.problems import ApiProblem, field_error


def json_object(request) -> dict:
    if not request.is_json:
        raise ApiProblem(415, "Envoyez un corps JSON (Content-Type: application/json).")
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiProblem(400, "Le corps de la requête n'est pas un objet JSON valide.")
    return data


def text(data: dict, field: str, *, required: bool = True, max_length: int = 300, prefix: str = "") -> str:
    value = data.get(field)
    name = prefix + field
    if value is None or value == "":
        if required:
            raise field_error(name, "ce champ est obligatoire")
        return ""
    if not isinstance(value, str):
        raise field_error(name, "une chaîne de caractères est attendue")
    if not is_clean_text(value):
        raise field_error(name, "caractères de contrôle ou Unicode invalide (texte attendu)")
    if len(value) > max_length:
        raise field_error(name, f"{max_length} caractères au plus")
    return value.strip()


def is_clean_text(value: str) -> bool:
    """Printable text: no NUL or other control characters (line breaks and tabs allowed), valid UTF-8."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from \ud800-style JSON escapes
        return False
    return not any(ord(ch) < 32 and ch not in "\t\n\r" or ord(ch) == 127 for ch in value)


def boolean(data: dict, field: str, default: bool) -> bool:
    value = data.get(field, default)
    if not isinstance(value, bool):
        raise field_error(field, "true ou false est attendu")
    return value


def a_date(data: dict, field: str, *, prefix: str = "") -> date:
    value = text(data, field, prefix=prefix, max_length=10)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise field_error(prefix + field, "une date au format AAAA-MM-JJ est attendue") from None


def a_datetime(data: dict, field: str) -> datetime | None:
    value = data.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise field_error(field, "une date et heure ISO 8601 est attendue")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise field_error(field, "une date et heure ISO 8601 est attendue, par exemple 2026-03-04T10:30:00+01:00") from None
    if parsed.tzinfo is None:
        raise field_error(field, "le fuseau horaire est obligatoire (par exemple +01:00 ou Z)")
    if parsed > datetime.now(timezone.utc):
        raise field_error(field, "la date ne peut pas être dans le futur")
    return parsed.astimezone(timezone.utc)


def nested(data: dict, field: str) -> dict:
    value = data.get(field)
    if not isinstance(value, dict):
        raise field_error(field, "un objet est attendu")
    return value
