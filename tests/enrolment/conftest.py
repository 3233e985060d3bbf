"""Fixtures of the enrolment tests: an app context for the services (their e-mails are
rendered with the app's templates) and a look into the outbox."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from app.outbox.models import OutboxEmail


@pytest.fixture
def ctx(app, session):
    with app.app_context():
        yield


class Outbox:
    def __init__(self, session):
        self.session = session

    def to(self, email: str) -> list[OutboxEmail]:
        return list(self.session.scalars(
            sa.select(OutboxEmail).where(OutboxEmail.recipient == email)
            .order_by(OutboxEmail.id)))

    def last(self, email: str) -> OutboxEmail:
        messages = self.to(email)
        assert messages, f"no e-mail to {email}"
        return messages[-1]

    @staticmethod
    def events(message: OutboxEmail):
        assert message.calendar, f"no calendar in {message.subject!r}"
        return Calendar.from_ical(message.calendar).walk("VEVENT")


@pytest.fixture
def outbox(session):
    return Outbox(session)
