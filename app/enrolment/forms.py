"""Forms of enrolment: offerings and sessions (organisers), reasons, bulk enrolment and
messages to participants. Times are typed in Norwegian time and stored in UTC."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional

from app.common.days import in_calendar
from app.enrolment.labels import FORMAT_LABELS

OSLO = ZoneInfo("Europe/Oslo")


def to_utc(value: datetime | None) -> datetime | None:
    """A wall-clock time in Norway, as typed, to an aware datetime."""
    return value.replace(tzinfo=OSLO) if value is not None else None


def from_utc(value: datetime | None) -> datetime | None:
    return value.astimezone(OSLO).replace(tzinfo=None) if value is not None else None


def day_start(day) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=OSLO) if day else None


def day_end(day) -> datetime | None:
    return datetime.combine(day, time(23, 59), tzinfo=OSLO) if day else None


class OfferingForm(FlaskForm):
    title = StringField(_l("Navn på gjennomføringen"), validators=[Length(max=200)],
                        description=_l("For eksempel «Vår 2027, Trondheim». Kurstittelen vises "
                                       "foran."))
    format = SelectField(_l("Form"), choices=[SelectChoice(v, lbl)
                                              for v, lbl in FORMAT_LABELS.items()])
    location = StringField(_l("Sted"), validators=[Optional(), Length(max=200)])
    capacity = IntegerField(_l("Antall plasser"),
                            validators=[Optional(), NumberRange(min=0, max=100000)],
                            description=_l("Tomt: ingen grense."))
    starts_on = DateField(_l("Første dag"), validators=[Optional(), in_calendar],
                          description=_l("Brukes når tilbudet ikke har økter (i eget "
                                         "tempo); ellers følger perioden øktene."))
    ends_on = DateField(_l("Siste dag"), validators=[Optional(), in_calendar])
    enrol_opens_at = DateTimeLocalField(_l("Påmeldingen åpner"),
                                        validators=[Optional(), in_calendar],
                                        format="%Y-%m-%dT%H:%M",
                                        description=_l("Tomt: åpen straks tilbudet er "
                                                       "publisert."))
    enrol_closes_at = DateTimeLocalField(_l("Påmeldingsfrist"),
                                         validators=[Optional(), in_calendar],
                                         format="%Y-%m-%dT%H:%M",
                                         description=_l("Tomt: når tilbudet starter."))
    cancel_deadline_at = DateTimeLocalField(_l("Avmeldingsfrist"),
                                            validators=[Optional(), in_calendar],
                                            format="%Y-%m-%dT%H:%M",
                                            description=_l("Etter fristen må deltakerne "
                                                           "kontakte deg. Tomt: når tilbudet "
                                                           "starter."))
    requires_approval = BooleanField(_l("Påmelding må godkjennes av nærmeste leder"))
    open_to_partners = BooleanField(_l("Åpent for ansatte hos samarbeidspartnerne"))
    contact_name = StringField(_l("Kontaktperson"), validators=[Optional(), Length(max=200)])
    contact_email = EmailField(_l("Kontaktpersonens e-post"),
                               validators=[Optional(), Email(), Length(max=254)])

    def values(self) -> dict:
        return {
            "title": (self.title.data or "").strip(),
            "format": self.format.data,
            "location": (self.location.data or "").strip() or None,
            "capacity": self.capacity.data,
            "starts_at": day_start(self.starts_on.data),
            "ends_at": day_end(self.ends_on.data),
            "enrol_opens_at": to_utc(self.enrol_opens_at.data),
            "enrol_closes_at": to_utc(self.enrol_closes_at.data),
            "cancel_deadline_at": to_utc(self.cancel_deadline_at.data),
            "requires_approval": self.requires_approval.data,
            "open_to_partners": self.open_to_partners.data,
            "contact_name": (self.contact_name.data or "").strip() or None,
            "contact_email": (self.contact_email.data or "").strip().lower() or None,
        }

    def fill(self, offering) -> None:
        for name in ("title", "format", "location", "capacity", "requires_approval",
                     "open_to_partners", "contact_name", "contact_email"):
            getattr(self, name).data = getattr(offering, name)
        self.starts_on.data = from_utc(offering.starts_at).date() if offering.starts_at else None
        self.ends_on.data = from_utc(offering.ends_at).date() if offering.ends_at else None
        self.enrol_opens_at.data = from_utc(offering.enrol_opens_at)
        self.enrol_closes_at.data = from_utc(offering.enrol_closes_at)
        self.cancel_deadline_at.data = from_utc(offering.cancel_deadline_at)


class SessionForm(FlaskForm):
    title = StringField(_l("Tittel"), validators=[DataRequired(), Length(max=200)])
    day = DateField(_l("Dato"), validators=[DataRequired(), in_calendar])
    start_time = TimeField(_l("Starter"), validators=[DataRequired()])
    end_time = TimeField(_l("Slutter"), validators=[DataRequired()])
    room = StringField(_l("Rom"), validators=[Optional(), Length(max=200)])
    online_url = StringField(_l("Lenke til nettmøtet"),
                             validators=[Optional(), URL(require_tld=False), Length(max=500)],
                             description=_l("For digitale og hybride økter."))
    speaker = StringField(_l("Foredragsholder"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Innhold"), validators=[Length(max=10000)])
    mandatory = BooleanField(_l("Obligatorisk økt"), default=True)

    def values(self) -> dict:
        return {
            "title": self.title.data.strip(),
            "starts_at": datetime.combine(self.day.data, self.start_time.data, tzinfo=OSLO),
            "ends_at": datetime.combine(self.day.data, self.end_time.data, tzinfo=OSLO),
            "room": (self.room.data or "").strip() or None,
            "online_url": (self.online_url.data or "").strip() or None,
            "speaker": (self.speaker.data or "").strip() or None,
            "description": self.description.data or "",
            "mandatory": self.mandatory.data,
        }

    def fill(self, item) -> None:
        local_start, local_end = from_utc(item.starts_at), from_utc(item.ends_at)
        self.title.data, self.room.data = item.title, item.room
        self.online_url.data, self.speaker.data = item.online_url, item.speaker
        self.description.data, self.mandatory.data = item.description, item.mandatory
        self.day.data = local_start.date()
        self.start_time.data, self.end_time.data = local_start.time(), local_end.time()


class CopyForm(FlaskForm):
    starts_on = DateField(_l("Ny første dag"), validators=[DataRequired(), in_calendar])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Begrunnelse"), validators=[Optional(), Length(max=2000)])


class RequiredReasonForm(FlaskForm):
    reason = TextAreaField(_l("Begrunnelse"), validators=[DataRequired(), Length(max=2000)],
                           description=_l("Sendes til dem det gjelder."))


class EnrolPersonForm(FlaskForm):
    person = StringField(_l("E-post eller ansattnummer"),
                         validators=[DataRequired(), Length(max=254)])


class BulkForm(FlaskForm):
    identifiers = TextAreaField(
        _l("E-postadresser eller ansattnumre"), validators=[Optional(), Length(max=200000)],
        description=_l("Én per linje, eller skilt med komma eller semikolon."),
    )
    new_leaders = BooleanField(_l("Alle nye ledere uten dette kurset"))
    months = IntegerField(_l("Ny leder de siste (måneder)"), default=12,
                          validators=[Optional(), NumberRange(min=1, max=120)])
    confirm = HiddenField()


class MessageForm(FlaskForm):
    subject = StringField(_l("Emne"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Melding"), validators=[DataRequired(), Length(max=20000)])
    include_waitlisted = BooleanField(_l("Send også til dem på ventelisten"))
