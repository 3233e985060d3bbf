"""Forms of the catalogue: the search and filters (GET), and the course and module
editors of organisers."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    Form,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.catalogue.labels import AUDIENCE_LABELS, KIND_LABELS, LANGUAGE_LABELS
from app.common.days import in_calendar
from app.enrolment.labels import FORMAT_LABELS


def _choices(labels: dict, empty=None) -> list[SelectChoice]:
    items = [SelectChoice(value, label) for value, label in labels.items()]
    return ([SelectChoice("", empty)] if empty is not None else []) + items


class CatalogueFilterForm(Form):
    """The catalogue's search; read from the query string, so no CSRF token."""

    q = SearchField(_l("Søk"), validators=[Optional(), Length(max=100)])
    audience = SelectField(_l("Målgruppe"), validators=[Optional()])
    format = SelectField(_l("Form"), validators=[Optional()])
    organiser = SelectField(_l("Arrangør"), validators=[Optional()])
    language = SelectField(_l("Språk"), validators=[Optional()])
    date_from = DateField(_l("Fra dato"), validators=[Optional(), in_calendar])
    date_to = DateField(_l("Til dato"), validators=[Optional(), in_calendar])

    def __init__(self, formdata, organisers: list[tuple[int, str]]):
        super().__init__(formdata)
        self.audience.choices = _choices(AUDIENCE_LABELS, _l("Alle målgrupper"))
        self.format.choices = _choices(FORMAT_LABELS, _l("Alle former"))
        self.language.choices = _choices(LANGUAGE_LABELS, _l("Alle språk"))
        self.organiser.choices = [SelectChoice("", _l("Alle arrangører"))] + [
            SelectChoice(str(org_id), name) for org_id, name in organisers
        ]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CourseForm(FlaskForm):
    title = StringField(_l("Tittel"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Adresse"), validators=[DataRequired(), Length(max=80)],
        description=_l("Kurset får adressen /kurs/<adresse>. Små bokstaver, tall og "
                       "bindestrek."),
    )
    kind = SelectField(_l("Type"), choices=_choices(KIND_LABELS))
    language = SelectField(_l("Språk"), choices=_choices(LANGUAGE_LABELS))
    summary = TextAreaField(_l("Kort beskrivelse"), validators=[Length(max=600)],
                            description=_l("Én eller to setninger som vises i katalogen."))
    description = TextAreaField(_l("Beskrivelse"), validators=[Length(max=20000)],
                                description=_l("Markdown: **fet**, *kursiv*, lister og "
                                               "lenker."))
    audiences = MultiCheckboxField(_l("Målgruppe"), choices=_choices(AUDIENCE_LABELS))
    validity_months = IntegerField(
        _l("Gyldighet (måneder)"), validators=[Optional(), NumberRange(min=1, max=240)],
        description=_l("Hvor lenge et fullført kurs gjelder. Tomt: for alltid."),
    )
    completion_requires_attendance = BooleanField(_l("Krever oppmøte på alle obligatoriske "
                                                     "økter"))
    completion_attendance_percent = IntegerField(
        _l("Eller minst så mange prosent oppmøte"),
        validators=[Optional(), NumberRange(min=1, max=100)],
    )
    completion_requires_quiz = BooleanField(_l("Krever bestått prøve"))
    completion_requires_modules = BooleanField(_l("Krever at alle moduler er lest"))
    licence = StringField(_l("Lisens"), validators=[Optional(), Length(max=40)],
                          description=_l("For eksempel NLOD-2.0 eller CC-BY-4.0."))

    def values(self) -> dict:
        fields = ("title", "slug", "kind", "language", "summary", "description",
                  "validity_months", "completion_requires_attendance",
                  "completion_attendance_percent", "completion_requires_quiz",
                  "completion_requires_modules", "licence")
        data = {name: getattr(self, name).data for name in fields}
        data["slug"] = (data["slug"] or "").strip().lower()
        data["title"] = data["title"].strip()
        data["summary"] = data["summary"] or ""
        data["description"] = data["description"] or ""
        data["licence"] = (data["licence"] or "").strip() or None
        return data


class ModuleForm(FlaskForm):
    title = StringField(_l("Tittel"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Tekst"), validators=[Length(max=50000)],
                         description=_l("Markdown: overskrifter med ##, lister, lenker og "
                                        "tabeller."))
    estimated_minutes = IntegerField(_l("Anslått tid (minutter)"),
                                     validators=[Optional(), NumberRange(min=0, max=600)])

    def values(self) -> dict:
        return {"title": self.title.data.strip(), "body": self.body.data or "",
                "estimated_minutes": self.estimated_minutes.data}


class ActionForm(FlaskForm):
    """A button that changes state (publish, move, mark as read): only the CSRF token."""


GROUP_CHOICES = [
    SelectChoice("mellomleder", _l("Mellomledere")),
    SelectChoice("forstelinjeleder", _l("Førstelinjeledere")),
    SelectChoice("toppleder", _l("Toppledere")),
    SelectChoice("project_leader", _l("IT-prosjektledere")),
    SelectChoice("unit", _l("Alle i en enhet (med underenheter)")),
]


class RequirementForm(FlaskForm):
    """A new mandatory course: which course, for whom, and the deadline."""

    organisation = SelectField(_l("Organisasjon"), coerce=int)
    course = SelectField(_l("Kurs"), coerce=int,
                         validators=[DataRequired(_l("Velg et kurs."))])
    group = SelectField(_l("Hvem det gjelder"), choices=GROUP_CHOICES)
    unit = SelectField(_l("Enhet"), coerce=int,
                       description=_l("Bare når kravet gjelder alle i en enhet."))
    due_months = IntegerField(
        _l("Frist i måneder"),
        description=_l("Fra personen ble leder, ble IT-prosjektleder eller kom til enheten. "
                       "Tom: ingen frist."),
        validators=[Optional(), NumberRange(min=0, max=120,
                                            message=_l("Skriv et tall fra 0 til 120."))])
