from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from webapp.forms import Form


class MessageForm(Form):
    body = TextAreaField("Votre message", validators=[Optional()])
    attachments = MultipleFileField("Joindre des fichiers (facultatif)")
    submission_key = HiddenField()


class WithdrawalForm(Form):
    reason = TextAreaField("Pourquoi souhaitez-vous retirer votre plainte ? (facultatif)",
                           validators=[Optional(), Length(max=2000)])
    confirm = BooleanField("J'ai compris ce que signifie le retrait de ma plainte et je confirme ma demande",
                           validators=[DataRequired("Cochez la case pour confirmer votre demande.")])


class ConfirmForm(Form):
    """Only a CSRF token (cancel a request, acknowledge it)."""


class ReassignForm(Form):
    # The choice is checked by the domain function (an active investigator of the same service).
    investigator = SelectField("Enquêteur chargé du dossier", validate_choice=False,
                               validators=[DataRequired("Choisissez un enquêteur.")])
