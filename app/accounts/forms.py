"""Forms of the login and profile screens (input rules only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length


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
