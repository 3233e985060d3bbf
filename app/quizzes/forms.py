"""Forms of the quiz authoring screens (input rules only). Taking a quiz reads the posted
fields through the question types, since the fields depend on the questions drawn."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.form import Form
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from app.quizzes.types import read_number


class QuizSettingsForm(FlaskForm):
    title = StringField(_l("Tittel"), validators=[DataRequired(), Length(max=200)])
    intro = TextAreaField(_l("Innledning"), validators=[Optional(), Length(max=4000)],
                          description=_l("Vises før første spørsmål."))
    pass_percent = IntegerField(_l("Krav for å bestå (prosent)"),
                                validators=[DataRequired(), NumberRange(1, 100)])
    attempts_allowed = IntegerField(_l("Antall forsøk"), validators=[Optional(),
                                                                     NumberRange(1, 100)],
                                    description=_l("Tomt: så mange forsøk deltakeren vil."))
    time_limit_minutes = IntegerField(_l("Tidsbegrensning (minutter)"),
                                      validators=[Optional(), NumberRange(1, 600)],
                                      description=_l("Tomt: ingen tidsbegrensning."))
    draw_count = IntegerField(_l("Trekk antall spørsmål"),
                              validators=[Optional(), NumberRange(1, 200)],
                              description=_l("Hvert forsøk får så mange tilfeldige spørsmål "
                                             "fra kursets spørsmålsbank. Tomt: alle."))
    shuffle_questions = BooleanField(_l("Stokk spørsmålene"))
    shuffle_choices = BooleanField(_l("Stokk svaralternativene"))
    show_answers = BooleanField(_l("Vis riktige svar og forklaringer etter levering"))
    paging = SelectField(_l("Visning"), choices=[
        SelectChoice("one", _l("Ett spørsmål om gangen")),
        SelectChoice("all", _l("Alle spørsmål på én side")),
    ])


class ChoiceForm(Form):
    text = StringField(_l("Tekst"), validators=[Optional(), Length(max=1000)])
    correct = BooleanField(_l("Riktig"))


def _number(form, field):
    if field.data and read_number(field.data) is None:
        raise ValidationError(_l("Skriv et tall, for eksempel 12,5."))


class QuestionForm(FlaskForm):
    kind = HiddenField()
    prompt = TextAreaField(_l("Spørsmål"), validators=[DataRequired(), Length(max=2000)])
    points = IntegerField(_l("Poeng"), default=1, validators=[DataRequired(),
                                                              NumberRange(1, 100)])
    explanation = TextAreaField(_l("Forklaring"), validators=[DataRequired(), Length(max=4000)],
                                description=_l("Vises etter levering, når prøven viser "
                                               "riktige svar."))
    partial_credit = BooleanField(_l("Gi delpoeng for delvis riktige svar"))
    correct_true = SelectField(_l("Påstanden er"), choices=[
        SelectChoice("", _l("Velg")),
        SelectChoice("true", _l("Sann")),
        SelectChoice("false", _l("Usann")),
    ], validators=[Optional()])
    numeric_answer = StringField(_l("Riktig tall"), validators=[Optional(), _number])
    tolerance = StringField(_l("Slingringsmonn (±)"), validators=[Optional(), _number],
                            description=_l("Svar så langt fra det riktige tallet godtas."))
    unit = StringField(_l("Enhet"), validators=[Optional(), Length(max=40)],
                       description=_l("Vises ved svarfeltet, for eksempel «timer» eller "
                                      "«kroner»."))
    accepted_answers = TextAreaField(_l("Godtatte svar"),
                                     validators=[Optional(), Length(max=5000)],
                                     description=_l("Ett svar per linje. Store og små "
                                                    "bokstaver, mellomrom og punktum til "
                                                    "slutt spiller ingen rolle."))
    choices = FieldList(FormField(ChoiceForm), min_entries=6, max_entries=12)


class DeleteForm(FlaskForm):
    pass


class StartForm(FlaskForm):
    pass
