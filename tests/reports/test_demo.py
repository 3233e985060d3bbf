"""`flask demo load` gives HR something believable to read."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.accounts.models import User
from app.certificates.models import Completion
from app.orm import utcnow
from app.reports import parts
from app.reports.scope import Filters


def test_the_demo_has_two_years_of_completions_gaps_expiry_and_a_past_gathering(session,
                                                                                 demo):
    demo(today=date.today())
    hr = session.scalar(sa.select(User).where(User.email == "hr@trondheim.example"))
    now = utcnow()
    coverage = parts.coverage(session, hr, Filters(), now=now)
    total = coverage.total(coverage.courses[0][0])
    assert 0.4 < total.completed / total.required < 0.9
    assert parts.gaps(session, hr, Filters(), now=now).rows
    windows = parts.expiry_counts(parts.expiry(session, hr, Filters(), now=now))
    assert windows["expired"] and sum(windows.values()) > windows["expired"]
    assert any(r.last_attended for r in parts.methodology(session, hr, Filters()))
    trend = parts.trend(session, hr, Filters(), now=now)
    busy = [i for i in range(len(trend.months)) if any(s[2][i] for s in trend.series)]
    assert len(busy) >= 12
    count = session.scalar(sa.select(sa.func.count()).select_from(Completion))
    demo(today=date.today())
    assert session.scalar(sa.select(sa.func.count()).select_from(Completion)) == count
