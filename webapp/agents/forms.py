from webapp.forms import Form
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectChoice, BooleanField, DateField, EmailField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from webapp.catalogue import DOCUMENT_KINDS, MILESTONES, OFFENCES

REQUIRED = "Ce champ est obligatoire."


def choices(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class ComplaintForm(Form):
    procedure_number = StringField("Numéro de procédure", validators=[DataRequired(REQUIRED), Length(max=40)])
    offence_code = SelectField("Nature de l'infraction", validators=[DataRequired(REQUIRED)],
                               choices=choices([("", "Choisir…")] + [(o.code, o.label) for o in OFFENCES.values()]))
    facts_date = DateField("Date des faits", validators=[DataRequired("Indiquez une date valide.")])
    facts_place = StringField("Lieu des faits", validators=[DataRequired(REQUIRED), Length(max=300)])
    against = RadioField("Plainte", default="x", choices=choices([
        ("x", "Contre X (auteur inconnu)"), ("named", "Contre une personne désignée")]))
    suspect_name = StringField("Nom de la personne désignée", validators=[Optional(), Length(max=200)])
    investigator = SelectField("Enquêteur chargé du dossier", choices=[], validate_choice=True)
    victim_family_name = StringField("Nom de naissance", validators=[DataRequired(REQUIRED), Length(max=200)])
    victim_given_names = StringField("Prénoms", validators=[DataRequired(REQUIRED), Length(max=200)])
    victim_birth_date = DateField("Date de naissance", validators=[DataRequired("Indiquez une date valide.")])
    victim_birth_place = StringField("Lieu de naissance", validators=[DataRequired(REQUIRED), Length(max=200)])
    victim_birth_place_code = StringField("Code INSEE du lieu de naissance (facultatif)",
                                          validators=[Optional(), Length(max=5)])
    victim_email = EmailField("Adresse e-mail", validators=[
        Optional(), Email("Cette adresse e-mail n'est pas valide."), Length(max=200)])
    victim_phone = StringField("Téléphone portable", validators=[Optional(), Length(max=40)])


class EventForm(Form):
    event_code = SelectField("Étape", validators=[DataRequired(REQUIRED)],
                             choices=choices([("", "Choisir…")] + [(m.code, m.title) for m in MILESTONES.values()]))
    note = TextAreaField("Précision pour la victime (facultatif)", validators=[Optional(), Length(max=2000)])
    internal = BooleanField("Étape interne : ne pas montrer à la victime")
    submission_key = HiddenField()


class DocumentForm(Form):
    kind = SelectField("Type de document", validators=[DataRequired(REQUIRED)],
                       choices=choices([("", "Choisir…")] + [(k.code, k.label) for k in DOCUMENT_KINDS.values()]))
    file = FileField("Fichier (PDF, JPEG ou PNG)", validators=[FileRequired("Choisissez un fichier.")])
    internal = BooleanField("Document interne : ne pas montrer à la victime")
    submission_key = HiddenField()


class NewCodeForm(Form):
    """Only a CSRF token: issue a new activation code and letter."""


class SearchForm(Form):
    class Meta:
        csrf = False

    q = StringField("Rechercher (numéro de procédure ou nom)", validators=[Optional(), Length(max=100)])
