"""Completions and certificates: the one way every event becomes a completion.

``check_completion`` is called after every event that may complete a course (a quiz
passed, a module read, attendance changed, an import). It is idempotent: the same facts
never record a second completion, and two events at the same moment record one — the
unique constraint on (user, course, number) decides, inside a savepoint.
"""

from __future__ import annotations

import calendar
import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.certificates.facts import gather_facts
from app.certificates.issuing import issue_certificate
from app.certificates.models import Certificate, Completion, CompletionSource
from app.certificates.rules import Rule, evaluate
from app.certificates.settings import IssueSettings, current_settings
from app.certificates.texts import language_of, reminder_email
from app.errors import ConflictError, DomainError
from app.outbox.services import queue_email
from app.security import audit

log = logging.getLogger(__name__)

OSLO = ZoneInfo("Europe/Oslo")
#: A completion may be renewed (and is shown as due again) this long before it expires.
RENEWAL_WINDOW = timedelta(days=90)
#: Reminders go out this many days before a completion expires.
REMINDER_DAYS = (90, 30)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day ``months`` later; the 31st becomes the month's last day."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def expiry_for(course, completed_at: datetime) -> datetime | None:
    return add_months(completed_at, course.validity_months) if course.validity_months else None


def latest_completion(session: Session, *, user_id: int, course_id: int) -> Completion | None:
    """The most recent completion by date (HR may register an older one later)."""
    return session.scalar(
        sa.select(Completion)
        .where(Completion.user_id == user_id, Completion.course_id == course_id)
        .order_by(Completion.completed_at.desc(), Completion.id.desc())
        .limit(1)
    )


def next_number(session: Session, *, user_id: int, course_id: int) -> int:
    return (session.scalar(
        sa.select(sa.func.max(Completion.number))
        .where(Completion.user_id == user_id, Completion.course_id == course_id)
    ) or 0) + 1


def renewal_open(completion: Completion, now: datetime) -> bool:
    """A new round may begin once the last completion is within its renewal window."""
    return completion.expires_at is not None and completion.expires_at - now <= RENEWAL_WINDOW


def check_completion(session: Session, *, user, course, now: datetime,
                     source: CompletionSource | str,
                     settings: IssueSettings | None = None) -> Completion | None:
    """Record a completion when the course's rule is met, and issue its certificate.

    Returns the completion recorded now, or the one already in force; None when the person
    has no valid completion and the rule is not met.
    """
    # The round's number is read before the latest completion: when another event commits
    # between the two reads, either we see its completion below and return it, or we insert
    # the same number and the unique constraint hands us theirs. Read after, the number
    # could already count theirs and a second completion would slip in (READ COMMITTED).
    number = next_number(session, user_id=user.id, course_id=course.id)
    latest = latest_completion(session, user_id=user.id, course_id=course.id)
    if latest is not None and not renewal_open(latest, now):
        return latest
    facts = gather_facts(session, user_id=user.id, course_id=course.id,
                         since=latest.completed_at if latest else None)
    outcome = evaluate(Rule.of(course), facts)
    if not outcome.met:
        in_force = latest is not None and (latest.expires_at is None or latest.expires_at > now)
        return latest if in_force else None
    return record_completion(
        session, user=user, course=course, completed_at=now, now=now,
        source=CompletionSource(source), offering_id=outcome.offering_id,
        number=number, settings=settings,
    )


def check_completions(session: Session, *, course, user_ids, now: datetime,
                      source: CompletionSource | str,
                      settings: IssueSettings | None = None) -> dict[int, Completion | None]:
    """``check_completion`` for several people at once, e.g. after a bulk attendance write
    for one session: {user id: completion or None}."""
    from app.accounts.models import User

    people = session.scalars(sa.select(User).where(User.id.in_(set(user_ids)))).all()
    settings = settings or current_settings()
    return {user.id: check_completion(session, user=user, course=course, now=now,
                                      source=source, settings=settings)
            for user in people}


def record_completion(session: Session, *, user, course, completed_at: datetime, now: datetime,
                      source: CompletionSource, number: int, offering_id: int | None = None,
                      evidence: str | None = None, actor=None, with_certificate: bool = True,
                      settings: IssueSettings | None = None, notify: bool = True) -> Completion:
    """Insert completion number ``number``; when another transaction recorded it first,
    return theirs. The certificate is issued in the same savepoint."""
    completion = Completion(
        user_id=user.id, course_id=course.id, number=number, offering_id=offering_id,
        completed_at=completed_at, expires_at=expiry_for(course, completed_at), source=source,
        evidence=evidence, recorded_by_id=getattr(actor, "id", None), created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(completion)
            session.flush()
            audit(session, actor=actor, action="certificates.completed", obj=completion,
                  user=user.id, course=course.id, source=str(source), number=number)
            if with_certificate:
                issue_certificate(session, completion=completion, now=now, actor=actor,
                                  settings=settings or current_settings(), notify=notify)
    except IntegrityError:
        # Another event recorded this round a moment earlier: that one stands.
        existing = session.scalar(
            sa.select(Completion).where(Completion.user_id == user.id,
                                        Completion.course_id == course.id,
                                        Completion.number == number)
        )
        if existing is None:
            raise
        log.info("completion already recorded user=%s course=%s number=%s", user.id,
                 course.id, number)
        return existing
    log.info("completion recorded id=%s user=%s course=%s source=%s", completion.id, user.id,
             course.id, source)
    return completion


def register_external(session: Session, *, actor, user, course, completed_on: date,
                      evidence: str, with_certificate: bool, now: datetime,
                      settings: IssueSettings | None = None) -> Completion:
    """HR registers a completion from outside the system (elsewhere, on paper, earlier)."""
    completed_at = datetime.combine(completed_on, time(12, 0), OSLO).astimezone(now.tzinfo)
    if completed_at > now:
        raise DomainError("completion_in_future", _l("Datoen kan ikke være fram i tid."),
                          field="completed_on")
    if not evidence.strip():
        raise DomainError("evidence_required",
                          _l("Skriv hva som dokumenterer gjennomføringen."), field="evidence")
    duplicate = session.scalar(
        sa.select(Completion.id).where(
            Completion.user_id == user.id, Completion.course_id == course.id,
            Completion.completed_at >= completed_at - timedelta(hours=14),
            Completion.completed_at <= completed_at + timedelta(hours=14),
        ).limit(1)
    )
    if duplicate is not None:
        raise ConflictError("completion_exists",
                            _l("%(name)s har allerede en gjennomføring av dette kurset "
                               "denne dagen.", name=user.name))
    return record_completion(
        session, user=user, course=course, completed_at=completed_at, now=now,
        source=CompletionSource.EXTERNAL,
        number=next_number(session, user_id=user.id, course_id=course.id),
        evidence=evidence.strip(), actor=actor, with_certificate=with_certificate,
        settings=settings,
    )


def revoke_certificate(session: Session, *, actor, certificate: Certificate, reason: str,
                       now: datetime) -> Certificate:
    if not reason.strip():
        raise DomainError("reason_required", _l("Oppgi hvorfor kursbeviset trekkes tilbake."),
                          field="reason")
    revoked = session.execute(
        sa.update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.revoked_at.is_(None))
        .values(revoked_at=now, revoke_reason=reason.strip()[:2000],
                revoked_by_id=getattr(actor, "id", None))
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(certificate)
    if not revoked:
        raise ConflictError("already_revoked", _l("Kursbeviset er allerede trukket tilbake."))
    audit(session, actor=actor, action="certificates.revoked", obj=certificate,
          reason=certificate.revoke_reason)
    log.info("certificate revoked id=%s actor=%s", certificate.id, getattr(actor, "id", None))
    return certificate


def reissue_certificate(session: Session, *, actor, certificate: Certificate, now: datetime,
                        settings: IssueSettings | None = None) -> Certificate:
    """A new certificate (new serial, new code, current texts) for the same completion;
    a certificate still valid is revoked first, with the reason "reissued"."""
    if certificate.revoked_at is None:
        revoke_certificate(session, actor=actor, certificate=certificate, now=now,
                           reason="Erstattet av et nytt kursbevis")
    current = session.scalar(
        sa.select(Certificate.id).where(Certificate.completion_id == certificate.completion_id,
                                        Certificate.revoked_at.is_(None))
    )
    if current is not None:
        raise ConflictError("already_reissued",
                            _l("Det finnes allerede et gyldig kursbevis for denne "
                               "gjennomføringen."))
    return issue_certificate(session, completion=certificate.completion, now=now, actor=actor,
                             settings=settings or current_settings(), replaces=certificate)


def send_recertification_reminders(session: Session, *, now: datetime,
                                   settings: IssueSettings | None = None) -> int:
    """E-mail people whose latest completion expires within 90 and within 30 days.

    Each reminder is claimed with a conditional UPDATE, so running the command twice (or
    on two hosts) sends it once. A person who has renewed is not reminded.
    """
    settings = settings or current_settings()
    sent = 0
    for days, later in zip(REMINDER_DAYS, (*REMINDER_DAYS[1:], 0), strict=True):
        column = Completion.reminded_90_at if days == 90 else Completion.reminded_30_at
        newer = sa.orm.aliased(Completion)
        due = session.scalars(
            sa.select(Completion)
            # Inside this reminder's window but not yet the next one's: a completion
            # recorded 20 days before it expires gets the 30-day reminder only.
            .where(Completion.expires_at.is_not(None),
                   Completion.expires_at > now + timedelta(days=later),
                   Completion.expires_at <= now + timedelta(days=days), column.is_(None),
                   ~sa.exists().where(newer.user_id == Completion.user_id,
                                      newer.course_id == Completion.course_id,
                                      newer.completed_at > Completion.completed_at))
            .options(sa.orm.joinedload(Completion.user), sa.orm.joinedload(Completion.course))
            .order_by(Completion.id)
        ).all()
        for completion in due:
            claimed = session.execute(
                sa.update(Completion).where(Completion.id == completion.id, column.is_(None))
                .values({column.key: now}).execution_options(synchronize_session=False)
            ).rowcount
            if not claimed or not completion.user.active:
                continue
            left = max((completion.expires_at - now).days, 0)
            subject, body = reminder_email(completion, language=language_of(completion.user),
                                           days=left, home_url=settings.base_url + "/")
            queue_email(session, recipient=completion.user.email, subject=subject,
                        body_text=body, now=now, domain=settings.mail_domain,
                        user_id=completion.user_id,
                        reason=f"completion:{completion.id}:reminder-{days}")
            sent += 1
            log.info("recertification reminder completion=%s days=%s", completion.id, days)
    return sent
