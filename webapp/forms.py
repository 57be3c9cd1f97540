"""The base of every form: CSRF from Flask-WTF, WTForms' own messages in French."""
from flask_wtf import FlaskForm


class Form(FlaskForm):
    class Meta:
        locales = ["fr"]
