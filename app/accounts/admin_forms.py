"""Forms of the admin pages (input rules only). Filter forms travel in the query string
and carry no CSRF token: they change nothing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.common.days import in_calendar
from app.common.labels import LEADER_LEVEL_LABELS, ROLE_LABELS


def role_choices(blank=None) -> list[SelectChoice]:
    choices = [SelectChoice(value, label) for value, label in ROLE_LABELS.items()]
    return ([SelectChoice("", blank)] if blank else []) + choices


class GetForm(FlaskForm):
    class Meta:
        csrf = False


class PeopleFilterForm(GetForm):
    q = SearchField(_l("Søk"), validators=[Optional(), Length(max=100)],
                    description=_l("Navn, e-post eller ansattnummer"))
    unit = SelectField(_l("Enhet"), validators=[Optional()], coerce=str)
    role = SelectField(_l("Rolle"), validators=[Optional()],
                       choices=role_choices(_l("Alle roller")))
    level = SelectField(_l("Ledernivå"), validators=[Optional()],
                        choices=[SelectChoice("", _l("Alle nivåer"))]
                        + [SelectChoice(v, label) for v, label in LEADER_LEVEL_LABELS.items()])
    status = SelectField(_l("Status"), default="active", choices=[
        SelectChoice("active", _l("Aktive")), SelectChoice("inactive", _l("Deaktiverte")),
        SelectChoice("all", _l("Alle"))])
    page = IntegerField(validators=[Optional()], widget=widgets.HiddenInput())


class GrantRoleForm(FlaskForm):
    role = SelectField(_l("Rolle"), choices=role_choices())
    unit_code = StringField(
        _l("Bare i enhet (enhetskode, valgfritt)"), validators=[Optional(), Length(max=32)],
        description=_l("Med en enhetskode gjelder rollen den enheten og alt under den. "
                       "Tom: hele organisasjonen."))
    submit = SubmitField(_l("Gi rollen"))


class ServiceAccountForm(FlaskForm):
    name = StringField(_l("Navn"), validators=[DataRequired(), Length(max=200)],
                       description=_l("Hvilket system som bruker kontoen, for eksempel "
                                      "«Lønns- og personalsystemet»."))
    organisation = SelectField(_l("Organisasjon"), coerce=int)
    roles = SelectMultipleField(_l("Roller"), choices=role_choices(),
                                widget=widgets.ListWidget(prefix_label=False),
                                option_widget=widgets.CheckboxInput(),
                                description=_l("Tokenene til kontoen får disse rollene."))
    submit = SubmitField(_l("Lag tjenestekonto"))


class AuditFilterForm(GetForm):
    action = StringField(_l("Handling"), validators=[Optional(), Length(max=64)],
                         description=_l("For eksempel accounts. eller accounts.role"))
    actor = StringField(_l("Utført av (e-post)"), validators=[Optional(), Length(max=254)])
    object_type = SelectField(_l("Objekttype"), validators=[Optional()], choices=[
        SelectChoice("", _l("Alle")), SelectChoice("User", _l("Person")),
        SelectChoice("ApiToken", _l("Token")), SelectChoice("Organisation", _l("Organisasjon"))])
    object_id = StringField(_l("Objekt-id"), validators=[Optional(), Length(max=64)])
    since = DateField(_l("Fra dato"), validators=[Optional(), in_calendar])
    until = DateField(_l("Til dato"), validators=[Optional(), in_calendar])
    page = IntegerField(validators=[Optional()], widget=widgets.HiddenInput())


class HrUploadForm(FlaskForm):
    organisation = SelectField(_l("Organisasjon"), coerce=int)
    file = FileField(_l("CSV-fil fra HR-systemet"), validators=[FileRequired()],
                     description=_l("UTF-8 (med eller uten BOM), skilt med semikolon eller "
                                    "komma. Se beskrivelsen av kolonnene nedenfor."),
                     render_kw={"accept": ".csv,text/csv"})
    submit = SubmitField(_l("Last opp og se forhåndsvisning"))


class HrConfirmForm(FlaskForm):
    fingerprint = HiddenField(validators=[DataRequired(), Length(max=64)])
    submit = SubmitField(_l("Importer"))
