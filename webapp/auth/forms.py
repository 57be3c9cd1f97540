from webapp.forms import Form
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Email, Length


class SignInForm(Form):
    email = EmailField("Adresse e-mail", validators=[
        DataRequired("Indiquez votre adresse e-mail."), Email("Cette adresse e-mail n'est pas valide."),
        Length(max=200)])
    password = PasswordField("Mot de passe", validators=[DataRequired("Indiquez votre mot de passe."),
                                                         Length(max=200)])
    next = HiddenField()
