"""The texts of a certificate and of its e-mails, in the person's language.

Rendered with ``force_locale`` so that a certificate issued while an English-speaking
organiser works still comes out in the recipient's bokmål, and the other way round.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import force_locale, format_date, format_decimal
from flask_babel import gettext as _

from app.certificates.pdf import CertificateContent

OSLO = ZoneInfo("Europe/Oslo")
LANGUAGES = ("nb", "en")


def language_of(user) -> str:
    return user.locale if getattr(user, "locale", None) in LANGUAGES else "nb"


def local_date(moment: datetime | None):
    return moment.astimezone(OSLO).date() if moment else None


def certificate_content(cert, verify_url: str) -> CertificateContent:
    with force_locale(cert.language):
        facts = [(_("Dato"), format_date(local_date(cert.dated), "long"))]
        if cert.hours:
            facts.append((_("Timer"), format_decimal(cert.hours, "#,##0.#")))
        facts.append((_("Utsteder"), cert.issuer_name))
        if cert.expires_at:
            facts.append((_("Gyldig til"), format_date(local_date(cert.expires_at), "long")))
        facts.append((_("Serienummer"), cert.serial))
        return CertificateContent(
            title=_("Kursbevis"),
            lead=_("Dette bekrefter at"),
            person_name=cert.person_name,
            completed_text=_("har gjennomført kurset"),
            course_title=cert.course_title,
            facts=tuple(facts),
            verify_text=_("Kontroller at kursbeviset er ekte ved å skanne QR-koden eller "
                          "gå til:"),
            verify_url=verify_url,
            issuer_name=cert.issuer_name,
            language=cert.language,
        )


def issued_email(cert, *, home_url: str, verify_url: str) -> tuple[str, str]:
    with force_locale(cert.language):
        subject = _("Kursbevis: %(course)s", course=cert.course_title)
        body = "\n\n".join([
            _("Hei %(name)s,", name=cert.person_name),
            _("Gratulerer! Du har gjennomført «%(course)s», og kursbeviset ditt er klart.",
              course=cert.course_title),
            _("Last det ned fra forsiden din: %(url)s", url=home_url),
            _("Alle kan kontrollere at det er ekte her: %(url)s", url=verify_url),
        ])
    return subject, body


def reminder_email(completion, *, language: str, days: int, home_url: str) -> tuple[str, str]:
    with force_locale(language):
        expires = format_date(local_date(completion.expires_at), "long")
        subject = _("Kurset «%(course)s» må fornyes innen %(date)s",
                    course=completion.course.title, date=expires)
        body = "\n\n".join([
            _("Hei %(name)s,", name=completion.user.name),
            _("Gjennomføringen din av «%(course)s» er gyldig til %(date)s, om %(days)s dager.",
              course=completion.course.title, date=expires, days=days),
            _("Meld deg på kurset igjen i god tid. Du ser det på forsiden din: %(url)s",
              url=home_url),
        ])
    return subject, body
