"""The request and reminder e-mails, rendered in the recipient's language.

The texts live here rather than in a template so that ``make i18n-extract`` (which reads
Python and HTML templates) finds every one of them.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from app.accounts.models import User


def answer_path(request_id: int) -> str:
    """Where a request is answered (``evaluation.answer``); e-mails are built outside any
    request, so the path is spelled out here and a test keeps it equal to the route."""
    return f"/evalueringer/{request_id}"


def request_email(
    user: User,
    *,
    request_id: int,
    kind: str,
    course_title: str,
    offering_title: str,
    closes_at,
    base_url: str,
    reminder: bool,
) -> tuple[str, str]:
    """(subject, plain-text body) in the person's language."""
    locale = user.locale if user.locale in current_app.config["LANGUAGES"] else "nb"
    names = {"course": course_title, "offering": offering_title or course_title}
    with force_locale(locale):
        if kind == "first":
            subject = _("Hva syntes du om «%(course)s»?", **names)
            intro = _(
                "Takk for at du deltok på «%(course)s» (%(offering)s). Hvor relevant og "
                "nyttig var kurset for deg? Evalueringen tar om lag tre minutter. Svarene "
                "dine er anonyme: ingen rapport viser navn, og ingenting vises før minst fem "
                "deltakere har svart.",
                **names,
            )
        else:
            subject = _("Tre måneder etter «%(course)s»: ett spørsmål", **names)
            intro = _(
                "For tre måneder siden var du på «%(course)s» (%(offering)s). Vi vil gjerne "
                "vite om kurset har endret hvordan du bruker IT i enheten din. Det er ett "
                "spørsmål, og svaret ditt er anonymt.",
                **names,
            )
        if reminder:
            subject = _("Påminnelse: %(subject)s", subject=subject)
        paragraphs = [_("Hei, %(name)s!", name=user.name.split(" ")[0]), intro]
        if reminder:
            paragraphs.append(
                _("Dette er en påminnelse. Har du allerede svart, kan du se bort fra den.")
            )
        paragraphs += [
            _("Svar her innen %(date)s:", date=format_date(closes_at, "long"))
            + "\n"
            + base_url.rstrip("/")
            + answer_path(request_id),
            _("Du kan også svare fra forsiden når du er logget inn."),
            "-- \nkurs · " + current_app.config["KURS_SUPPORT_EMAIL"],
        ]
    return subject, "\n\n".join(paragraphs) + "\n"
