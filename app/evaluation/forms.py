"""Forms of the evaluation screens (input rules only; the services check again)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from app.evaluation.models import EvaluationQuestion, QuestionKind
from app.evaluation.services import COMMENT_MAX

SCALE_HINT = _l("1 betyr i svært liten grad, 5 i svært stor grad.")
REQUIRED = _l("Velg en verdi.")


def _scale(label, *, description=SCALE_HINT, low=1, high=5) -> RadioField:
    return RadioField(
        label,
        choices=[SelectChoice(str(v), str(v)) for v in range(low, high + 1)],
        validators=[InputRequired(message=REQUIRED)],
        description=description,
    )


def _comment(label, description=None) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[Optional(), Length(max=COMMENT_MAX)],
        description=description,
        render_kw={"rows": 4},
    )


class FirstEvaluationForm(FlaskForm):
    """The standard evaluation, the same for every course and partner."""

    relevance = _scale(_l("Hvor relevant var kurset for arbeidet ditt?"))
    usefulness = _scale(_l("Hvor nyttig er det du lærte i hverdagen din som leder?"))
    teaching = _scale(_l("Hvor god var undervisningen?"))
    recommend = _scale(
        _l("Hvor sannsynlig er det at du vil anbefale kurset til en annen leder?"),
        description=_l("0 betyr svært usannsynlig, 10 svært sannsynlig."),
        low=0,
        high=10,
    )
    comment = _comment(
        _l("Hva var best, og hva kan bli bedre?"),
        _l("Valgfritt. Skriv ikke navn: kommentarer vises uten navn når minst fem har svart."),
    )


def first_form(questions: list[EvaluationQuestion], **kwargs) -> FirstEvaluationForm:
    """The standard form with the course's own active questions added as ``own_<id>``."""

    class WithOwnQuestions(FirstEvaluationForm):
        pass

    for question in questions:
        if question.kind == QuestionKind.SCALE:
            field = _scale(question.text)
        else:
            field = _comment(question.text, _l("Valgfritt."))
        setattr(WithOwnQuestions, f"own_{question.id}", field)
    return WithOwnQuestions(**kwargs)


class FollowUpForm(FlaskForm):
    follow_up = RadioField(
        _l("Har du endret hvordan du bruker IT i enheten din på grunn av kurset?"),
        choices=[
            SelectChoice("yes", _l("Ja")),
            SelectChoice("partly", _l("Delvis")),
            SelectChoice("no", _l("Nei")),
        ],
        validators=[InputRequired(message=_l("Velg ja, delvis eller nei."))],
    )
    comment = _comment(
        _l("Hva har du endret, eller hva har stått i veien?"),
        _l("Valgfritt. Skriv ikke navn: svarene vises uten navn når minst fem har svart."),
    )


class QuestionForm(FlaskForm):
    text = StringField(
        _l("Spørsmål"),
        validators=[InputRequired(message=_l("Skriv spørsmålet.")), Length(max=300)],
        description=_l("Stilles etter de faste spørsmålene, i alle gjennomføringer av kurset."),
    )
    kind = RadioField(
        _l("Svartype"),
        choices=[
            SelectChoice(QuestionKind.SCALE.value, _l("Skala fra 1 til 5")),
            SelectChoice(QuestionKind.TEXT.value, _l("Fritekst")),
        ],
        default=QuestionKind.SCALE.value,
        validators=[InputRequired()],
    )


class ActionForm(FlaskForm):
    """A button that changes state: CSRF only."""
