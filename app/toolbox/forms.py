"""Forms of the toolbox and the project register (input rules only; the services decide)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.common.days import in_calendar
from app.toolbox.labels import CATEGORY_LABELS, DOCUMENT_STATUS_LABELS, NETWORK_LABELS, PHASE_LABELS


def choices(labels: dict, *, blank: str | None = None) -> list[SelectChoice]:
    options = [SelectChoice("", blank)] if blank is not None else []
    return options + [SelectChoice(value, label) for value, label in labels.items()]


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes instead of a multi-select box (easier on a phone and with a keyboard)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


# The toolbox ---------------------------------------------------------------------------


class ItemForm(FlaskForm):
    title = StringField(_l("Tittel"), validators=[DataRequired(), Length(max=200)])
    category = SelectField(_l("Kategori"), choices=choices(CATEGORY_LABELS))
    description = TextAreaField(
        _l("Beskrivelse"), validators=[Optional(), Length(max=10_000)],
        description=_l("Hva malen er til, og hvordan den brukes. Markdown er tillatt."),
        render_kw={"rows": 5})
    learn_more = TextAreaField(
        _l("Les mer"), validators=[Optional(), Length(max=5_000)],
        description=_l("Lenker til Prosjektveiviseren, DFØ, NSM, Datatilsynet eller andre "
                       "kilder (Markdown)."), render_kw={"rows": 4})
    owner_email = EmailField(
        _l("Eier (e-post)"), validators=[Optional(), Email(), Length(max=254)],
        description=_l("Personen som holder malen oppdatert. Tomt: deg selv."))
    session_ids = MultiCheckboxField(_l("Gjennomgås i disse øktene"), coerce=int,
                                     validate_choice=False)


class NewItemForm(ItemForm):
    file = FileField(_l("Fil"), validators=[FileRequired(_l("Velg en fil."))],
                     description=_l("PDF, Word, Excel, PowerPoint, PNG, SVG, Markdown eller "
                                    "tekst."))
    change_note = StringField(_l("Merknad til første versjon"),
                              validators=[Optional(), Length(max=2000)])


class VersionForm(FlaskForm):
    file = FileField(_l("Ny versjon av filen"), validators=[FileRequired(_l("Velg en fil."))],
                     description=_l("PDF, Word, Excel, PowerPoint, PNG, SVG, Markdown eller "
                                    "tekst."))
    change_note = TextAreaField(
        _l("Hva er endret?"), validators=[DataRequired(), Length(max=2000)],
        description=_l("Vises i versjonshistorikken, så andre vet om de bør bytte til den nye "
                       "versjonen."), render_kw={"rows": 3})


# Projects ------------------------------------------------------------------------------


class ProjectForm(FlaskForm):
    name = StringField(_l("Prosjektnavn"), validators=[DataRequired(), Length(max=200)])
    purpose = TextAreaField(_l("Formål"), validators=[Optional(), Length(max=5000)],
                            description=_l("Hva prosjektet skal oppnå, i et par setninger."),
                            render_kw={"rows": 3})
    unit_id = SelectField(_l("Enhet"), coerce=_int_or_none, validate_choice=False)
    phase = SelectField(_l("Fase"), choices=choices(PHASE_LABELS))
    leader_email = EmailField(_l("Prosjektleder (e-post)"),
                              validators=[DataRequired(), Email(), Length(max=254)])
    owner_email = EmailField(_l("Prosjekteier (e-post)"),
                             validators=[Optional(), Email(), Length(max=254)],
                             description=_l("Lederen i linjen som eier behovet og gevinstene."))
    contact_email = EmailField(
        _l("Kontakt-e-post"), validators=[Optional(), Email(), Length(max=254)],
        description=_l("For eksempel en felles postkasse. Tomt: prosjektlederens adresse."))
    contact_phone = StringField(_l("Telefon"), validators=[Optional(), Length(max=40)])
    starts_on = DateField(_l("Oppstart"), validators=[Optional(), in_calendar])
    planned_end_on = DateField(_l("Planlagt slutt"), validators=[Optional(), in_calendar])
    buys_equipment_or_software = BooleanField(_l("Prosjektet kjøper utstyr eller programvare"))
    network = RadioField(
        _l("For hvilket nett?"), choices=choices(NETWORK_LABELS), default="none",
        description=_l("Kjøper prosjektet utstyr eller programvare for TK-nett eller elevnett, "
                       "skal en representant fra IT-tjenesten delta."))
    version = HiddenField()


class RepresentativeForm(FlaskForm):
    it_representative_id = SelectField(_l("IT-representant"), coerce=_int_or_none,
                                       validate_choice=False)


class DocumentForm(FlaskForm):
    category = SelectField(_l("Dokument"), choices=choices(CATEGORY_LABELS))
    toolbox_item_id = SelectField(_l("Mal fra verktøykassen"), coerce=_int_or_none,
                                  validate_choice=False)
    status = SelectField(_l("Status"), choices=choices(DOCUMENT_STATUS_LABELS),
                         default="draft")
    url = URLField(_l("Lenke til dokumentet"), validators=[Optional(), Length(max=500)],
                   description=_l("Der dokumentet ligger, for eksempel i arkivet eller på "
                                  "Teams. Eller last opp en fil under."))
    file = FileField(_l("Eller last opp filen"),
                     description=_l("PDF, Word, Excel, PowerPoint, PNG, SVG, Markdown eller "
                                    "tekst."))
    note = TextAreaField(_l("Merknad"), validators=[Optional(), Length(max=2000)],
                         render_kw={"rows": 2})


class ConfirmForm(FlaskForm):
    """A button that changes something (CSRF only)."""


class SettingsForm(FlaskForm):
    it_service_unit_id = SelectField(
        _l("IT-tjenesten er enheten"), coerce=_int_or_none, validate_choice=False,
        description=_l("IT-representanter velges blant de ansatte i denne enheten og "
                       "enhetene under den."))


class ProjectFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    q = StringField(_l("Søk"), validators=[Optional(), Length(max=100)])
    unit = SelectField(_l("Enhet"), validate_choice=False)
    phase = SelectField(_l("Fase"), choices=choices(PHASE_LABELS, blank=_l("Alle faser")),
                        validate_choice=False)
    network = SelectField(_l("Nett"), choices=choices(NETWORK_LABELS, blank=_l("Alle")),
                          validate_choice=False)
    page = IntegerField(validators=[Optional()])
