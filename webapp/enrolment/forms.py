from webapp.forms import Form
from wtforms import EmailField, IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional


class ActivationForm(Form):
    code = StringField("Code d'activation", validators=[
        DataRequired("Indiquez le code inscrit sur votre lettre."), Length(max=40)])
    birth_day = IntegerField("Jour", validators=[Optional(), NumberRange(1, 31)])
    birth_month = IntegerField("Mois", validators=[Optional(), NumberRange(1, 12)])
    birth_year = IntegerField("Année", validators=[Optional(), NumberRange(1900, 2100)])


class AccountForm(Form):
    email = EmailField("Adresse e-mail", validators=[
        DataRequired("Indiquez votre adresse e-mail."), Email("Cette adresse e-mail n'est pas valide."),
        Length(max=200)])
    password = PasswordField("Mot de passe", validators=[DataRequired("Choisissez un mot de passe."),
                                                         Length(max=200)])
    password_confirmation = PasswordField("Confirmez le mot de passe", validators=[
        DataRequired("Tapez à nouveau le mot de passe."), Length(max=200)])


class AttachForm(Form):
    """Add the verified complaint to the account already signed in (only a CSRF token)."""
