"""Forms of the seminar screens (input rules only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)


class ConfirmForm(FlaskForm):
    """A button that changes something and carries nothing but the CSRF token."""


class MarkForm(FlaskForm):
    """One mark from the grid: the pressed button's value, "user:12:present:3"
    (person kind, id, status, the version the organiser saw)."""

    mark = StringField(validators=[DataRequired(), Length(max=80)])
    #: The search in effect, so that the page comes back filtered the same way.
    q = HiddenField()


class WalkInForm(FlaskForm):
    user_id = IntegerField(validators=[DataRequired()])


class WalkInDecisionForm(FlaskForm):
    decision = StringField(validators=[DataRequired(), Regexp(r"^(confirm|decline)$")])


class ParticipantForm(FlaskForm):
    name = StringField(_l("Navn"), validators=[DataRequired(), Length(max=200)],
                       render_kw={"autocomplete": "off"})
    organisation_name = StringField(
        _l("Organisasjon"), validators=[Optional(), Length(max=200)],
        description=_l("For eksempel Statsforvalteren i Trøndelag."),
    )
    email = EmailField(_l("E-postadresse"),
                       validators=[Optional(), Email(), Length(max=254)],
                       render_kw={"autocomplete": "off"})


class CheckinForm(FlaskForm):
    #: "1": the person is not on the list and asks the organiser to add them.
    walk_in = HiddenField(default="")


class QuestionsForm(FlaskForm):
    ask_diet = BooleanField(_l("Spør om kosthold og allergier"))
    ask_accessibility = BooleanField(_l("Spør om behov for tilrettelegging"))
    free_text_label = StringField(
        _l("Eget spørsmål (valgfritt)"), validators=[Optional(), Length(max=200)],
        description=_l("For eksempel: Hva vil du at vi skal ta opp om gevinstrealisering?"),
    )
    retention_days = IntegerField(
        _l("Slett svarene etter (dager etter samlingen)"),
        # InputRequired, not DataRequired: 0 (delete the day after) is a valid choice.
        validators=[InputRequired(message=_l("Skriv et tall fra 0 til 365.")),
                    NumberRange(min=0, max=365, message=_l("Skriv et tall fra 0 til 365."))],
        default=14,
    )


class AnswersForm(FlaskForm):
    diet = TextAreaField(_l("Kosthold og allergier"), validators=[Length(max=1000)],
                         description=_l("For eksempel vegetar, glutenfri eller nøtteallergi."))
    accessibility = TextAreaField(
        _l("Behov for tilrettelegging"), validators=[Length(max=1000)],
        description=_l("For eksempel teleslynge, rullestoltilgang eller skjermleser."),
    )
    free_text = TextAreaField(validators=[Length(max=1000)])


class NetworkForm(FlaskForm):
    projects = TextAreaField(
        _l("IT-prosjektene du leder eller deltar i"), validators=[Length(max=2000)],
        description=_l("Navn og en setning om hvert prosjekt, slik at andre kan finne deg. "
                       "Prosjektene du står som leder for i prosjektregisteret, vises også."),
    )
    phone = StringField(
        _l("Telefon (valgfritt)"),
        validators=[Optional(), Length(max=40),
                    Regexp(r"^[0-9 +()-]+$", message=_l("Bare sifre, mellomrom og + ( ) -."))],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    consent = BooleanField(
        _l("Jeg vil stå i deltakernettverket for denne samlingen"),
        validators=[DataRequired(message=_l("Kryss av for å bli med i nettverket."))],
        description=_l("Navn, enhet, stilling, e-postadresse, telefon og prosjektene dine "
                       "vises for de andre deltakerne og arrangørene av samlingen. Du kan "
                       "trekke deg når som helst."),
    )
