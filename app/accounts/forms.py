"""Forms of the login and profile screens (input rules only)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from app.common.days import in_calendar


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-postadresse"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Passord"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Logg inn"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Nåværende passord"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("Nytt passord"),
        validators=[DataRequired(), Length(min=12, max=256)],
        description=_l("Minst 12 tegn. En setning av flere ord er lett å huske og vanskelig "
                       "å gjette."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Gjenta nytt passord"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("Passordene er ulike."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Bytt passord"))


class LanguageForm(FlaskForm):
    lang = SelectField(
        _l("Språk"), choices=[SelectChoice("nb", "Norsk bokmål"), SelectChoice("en", "English")]
    )
    next = HiddenField()


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Logg ut"))


class SsoForm(FlaskForm):
    """The single sign-on button: a POST, so that no other site can start a login."""

    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("E-postadresse"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
    submit = SubmitField(_l("Send lenke"))


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("Nytt passord"),
        validators=[DataRequired(), Length(min=12, max=256)],
        description=_l("Minst 12 tegn. En setning av flere ord er lett å huske og vanskelig "
                       "å gjette."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Gjenta nytt passord"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("Passordene er ulike."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Lagre passordet"))


TOKEN_SCOPE_CHOICES = [
    SelectChoice("read_write", _l("Lese og skrive (alt kontoen har lov til)")),
    SelectChoice("read", _l("Bare lese (GET)")),
]


class TokenForm(FlaskForm):
    name = StringField(
        _l("Navn på tokenet"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("Hva det skal brukes til, for eksempel «Rapportskript»."),
    )
    scope = SelectField(_l("Tilgang"), choices=TOKEN_SCOPE_CHOICES, default="read_write")
    expires_on = DateField(
        _l("Utløper (valgfritt)"), validators=[Optional(), in_calendar],
        description=_l("Tomt: gjelder til det trekkes tilbake."),
    )
    submit = SubmitField(_l("Lag token"))

    def validate_expires_on(self, field):
        today = datetime.now(ZoneInfo("Europe/Oslo")).date()
        if field.data is not None and field.data < today:
            raise ValidationError(_l("Utløpsdatoen kan ikke ha passert."))
