from webapp.forms import Form
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length


class SignInForm(Form):
    email = EmailField("Adresse e-mail", validators=[
        DataRequired("Indiquez votre adresse e-mail."), Email("Cette adresse e-mail n'est pas valide."),
        Length(max=200)])
    password = PasswordField("Mot de passe", validators=[DataRequired("Indiquez votre mot de passe."),
                                                         Length(max=200)])
    next = HiddenField()


class CodeForm(Form):
    code = StringField("Code de vérification à 6 chiffres", validators=[
        DataRequired("Saisissez le code affiché par votre application d'authentification."), Length(min=6, max=6,
                                                                                                     message="Le code a 6 chiffres.")])
