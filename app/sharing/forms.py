"""Forms of the sharing and authoring screens (input rules only)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.sharing import labels
from app.sharing.package import LANGUAGES, LICENCES, MANDATORY_GROUPS


def _choices(values, names) -> list[SelectChoice]:
    return [SelectChoice(value, names[value]) for value in values]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def scope_field(default: str = "partners") -> RadioField:
    return RadioField(_l("Hvem kan se pakken?"), default=default,
                      choices=_choices(("own", "partners", "public"), labels.SCOPE_LABELS))


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class ScopeForm(FlaskForm):
    scope = scope_field()


class UpdateForm(FlaskForm):
    to_version = HiddenField(validators=[DataRequired()])


class UploadForm(FlaskForm):
    file = FileField(_l("Kurspakke (zip)"), validators=[FileRequired(_l("Velg en zip-fil."))],
                     description=_l("En zip-fil i formatet kurs/1, høyst 50 MB."))
    scope = scope_field("own")


class NewPackageForm(FlaskForm):
    title = StringField(_l("Tittel"), validators=[DataRequired(), Length(max=200)])
    kind = RadioField(_l("Type"), default="course",
                      choices=_choices(("course", "seminar"), labels.KIND_LABELS))
    language = SelectField(_l("Språk"), default="nb",
                           choices=_choices(LANGUAGES, labels.LANGUAGE_LABELS))


class DraftForm(FlaskForm):
    """Every authoring form names the draft revision it was loaded with."""

    revision = HiddenField(validators=[DataRequired()])


class DetailsForm(DraftForm):
    title = StringField(_l("Tittel"), validators=[DataRequired(), Length(max=200)])
    summary = TextAreaField(_l("Sammendrag"), validators=[DataRequired(), Length(max=600)],
                            description=_l("Én eller to setninger til kurskatalogen."),
                            render_kw={"rows": 3})
    description = TextAreaField(_l("Beskrivelse (Markdown)"),
                                validators=[Optional(), Length(max=20000)],
                                render_kw={"rows": 8, "data-preview": "description-preview"})
    language = SelectField(_l("Språk"), choices=_choices(LANGUAGES, labels.LANGUAGE_LABELS))
    licence = SelectField(_l("Lisens"), choices=_choices(LICENCES, labels.LICENCE_LABELS))
    audience = MultiCheckboxField(
        _l("Målgruppe"), validators=[DataRequired(_l("Velg minst én målgruppe."))],
        choices=_choices(tuple(labels.AUDIENCE_LABELS), labels.AUDIENCE_LABELS))
    mandatory_for = MultiCheckboxField(
        _l("Foreslått obligatorisk for"), choices=_choices(MANDATORY_GROUPS,
                                                           labels.AUDIENCE_LABELS),
        description=_l("Organisasjoner som importerer kurset, får et forslag til krav for "
                       "disse gruppene. Kravene bestemmer hver organisasjon selv."))
    validity_months = IntegerField(_l("Gyldighet i måneder"),
                                   validators=[Optional(), NumberRange(min=1, max=240)],
                                   description=_l("Tomt: kursbeviset utløper ikke."))
    completion_attendance = BooleanField(_l("Deltakeren må ha møtt på de obligatoriske øktene"))
    completion_attendance_percent = IntegerField(
        _l("… eller på minst så mange prosent av øktene"),
        validators=[Optional(), NumberRange(min=1, max=100)])
    completion_quiz = BooleanField(_l("Deltakeren må bestå kunnskapsprøven"))
    completion_modules = BooleanField(_l("Deltakeren må ha lest alle modulene"))


class ModuleForm(DraftForm):
    title = StringField(_l("Tittel på modulen"), validators=[DataRequired(), Length(max=200)])
    minutes = IntegerField(_l("Beregnet tid i minutter"),
                           validators=[Optional(), NumberRange(min=1, max=600)])
    body = TextAreaField(_l("Tekst (Markdown)"), validators=[DataRequired(), Length(max=200000)],
                         description=_l("Overskrifter med ##, lister med -, lenker som "
                                        "[tekst](https://…). HTML vises ikke."),
                         render_kw={"rows": 22, "data-preview": "module-preview"})


class MoveForm(DraftForm):
    step = HiddenField(validators=[DataRequired()])


class AttachmentForm(DraftForm):
    file = FileField(_l("Fil"), validators=[FileRequired(_l("Velg en fil."))],
                     description=_l("PDF, Word, Excel, PowerPoint, PNG eller SVG, høyst 50 MB. "
                                    "Vedlegg lastes ned, de vises ikke i nettleseren."))
    title = StringField(_l("Beskrivelse av vedlegget"), validators=[Optional(), Length(max=200)])


class TomlForm(DraftForm):
    text = TextAreaField(validators=[Optional(), Length(max=500000)], render_kw={"rows": 28})


class PublishForm(DraftForm):
    bump = RadioField(_l("Hva slags endring er dette?"), default="minor",
                      choices=_choices(("patch", "minor", "major"), labels.BUMP_LABELS))
    change_note = TextAreaField(_l("Hva er endret?"),
                                validators=[InputRequired(_l("Skriv hva som er endret.")),
                                            Length(max=4000)],
                                description=_l("Vises for partnerne som har importert kurset."),
                                render_kw={"rows": 3})
    scope = scope_field()
