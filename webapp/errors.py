"""Error pages in plain French, with a way back, never a stack trace."""
from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from webapp.api.problems import problem_response
from webapp.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: ("Demande incomplète", "Votre demande n'a pas pu être comprise. Revenez à la page précédente et réessayez."),
    403: ("Accès réservé", "Cette page n'est pas accessible avec votre compte."),
    404: ("Page introuvable", "Cette page n'existe pas ou n'est pas accessible avec votre compte. "
                              "Vérifiez l'adresse, ou revenez à l'accueil."),
    405: ("Action impossible", "Cette action n'est pas possible à cette adresse."),
    413: ("Fichier trop lourd", "Le fichier envoyé est trop lourd. Réduisez sa taille (par exemple en le "
                                "scannant en qualité plus basse) puis réessayez. Rien n'a été enregistré."),
    429: ("Trop d'essais", "Vous avez fait beaucoup d'essais en peu de temps. Pour protéger les dossiers, "
                           "patientez quelques minutes avant de réessayer."),
    500: ("Erreur du service", "Une erreur s'est produite de notre côté. Rien n'a été perdu de ce qui était "
                               "déjà enregistré. Réessayez dans quelques minutes."),
}


def render_error(status: int, message: str | None = None):
    title, default_message = MESSAGES.get(status, MESSAGES[500] if status >= 500 else MESSAGES[400])
    body = render_template("errors/error.html", status=status, title=title, message=message or default_message)
    return body, status


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, "Le formulaire a expiré ou a été envoyé deux fois. Rechargez la page et "
                                 "réessayez. Rien n'a été enregistré.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        headers = {}
        if error.code == 429 and error.response is not None and "Retry-After" in error.response.headers:
            headers["Retry-After"] = error.response.headers["Retry-After"]
        if request.path.startswith("/api/"):  # machines get problem details, in the same words
            return problem_response(error.code or 500, MESSAGES.get(error.code, MESSAGES[400])[1], headers=headers)
        response, status = render_error(error.code or 500)
        return response, status, headers

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        db.session.rollback()
        if request.path.startswith("/api/"):
            return problem_response(500, MESSAGES[500][1])
        return render_error(500)
