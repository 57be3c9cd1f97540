from wtforms import BooleanField, EmailField
from wtforms.validators import Email, Length, Optional

from webapp.forms import Form


class PreferencesForm(Form):
    push_enabled = BooleanField("Alertes sur mes appareils (notifications)")
    email_enabled = BooleanField("Alertes par e-mail")
    notification_email = EmailField("Adresse e-mail pour les alertes", validators=[
        Optional(), Email("Cette adresse e-mail n'est pas valide."), Length(max=200)])


class RemoveDeviceForm(Form):
    """Only a CSRF token."""


class RetryForm(Form):
    """Only a CSRF token."""
