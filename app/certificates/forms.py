"""Forms of the certificate and completion screens (input rules only)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.common.days import in_calendar


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Begrunnelse"), validators=[DataRequired(), Length(max=2000)],
                           description=_l("Vises ikke offentlig; lagres i loggen."))


class ReissueForm(FlaskForm):
    pass


class ZipForm(FlaskForm):
    pass


class ExternalCompletionForm(FlaskForm):
    person = StringField(_l("Ansattnummer eller e-postadresse"),
                         validators=[DataRequired(), Length(max=254)])
    course = StringField(_l("Kurs (kortnavn)"), validators=[DataRequired(), Length(max=80)],
                         description=_l("Kursets kortnavn i adressen, f.eks. it-i-hverdagen."))
    completed_on = DateField(_l("Dato gjennomført"), validators=[DataRequired(), in_calendar])
    evidence = TextAreaField(_l("Dokumentasjon"), validators=[DataRequired(), Length(max=2000)],
                             description=_l("Hvor kurset ble tatt, og hva du har sett som "
                                            "bekrefter det (f.eks. «kursbevis fra KS, "
                                            "arkivert i sak 2026/1234»)."))
    with_certificate = BooleanField(_l("Utsted kursbevis"))


class CompletionImportForm(FlaskForm):
    file = FileField(_l("CSV-fil"), validators=[FileRequired()],
                     description=_l("Kolonner: ansattnummer (eller epost), kurs, dato, "
                                    "dokumentasjon og eventuelt kursbevis (ja/nei). "
                                    "Semikolon eller komma som skilletegn."))
