"""Days typed into filters stay within a calendar every computation on them can reach:
one outside the years 1900–2999 is refused with a message, never with a server error."""

from __future__ import annotations

from datetime import date

import pytest

from app.common.days import within_calendar
from tests.factories import make_token, make_user


@pytest.mark.parametrize(("day", "inside"), [
    (date(1900, 1, 1), True), (date(2026, 11, 29), True), (date(2999, 12, 31), True),
    (date(1, 1, 1), False), (date(1899, 12, 31), False), (date(3000, 1, 1), False),
    (date(9999, 12, 31), False),
])
def test_the_calendar_runs_from_1900_to_2999(day, inside):
    assert within_calendar(day) is inside


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_the_catalogue_says_so_and_lists_as_without_the_date(client, session, login_as, day):
    login_as(make_user(session))
    page = client.get(f"/kurs?date_from={day}&date_to={day}")
    assert page.status_code == 200
    assert "Velg en dato mellom 1900 og 2999." in page.get_data(as_text=True)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_reports_and_their_exports_refuse_the_day_with_the_message(client, session, login_as,
                                                                   day):
    login_as(make_user(session, roles=["hr"]))
    for path in (f"/rapporter?fra={day}", f"/rapporter?til={day}",
                 f"/rapporter/eksport.csv?til={day}"):
        page = client.get(path)
        assert page.status_code == 400, path
        assert "Velg en dato mellom 1900 og 2999." in page.get_data(as_text=True), path


def test_the_report_api_refuses_the_day_as_a_bad_filter(client, session):
    person = make_user(session, roles=["hr"])
    auth = {"Authorization": f"Bearer {make_token(session, person)}"}
    for query in ("to=9999-12-31", "from=0001-01-01"):
        answer = client.get(f"/api/v1/reports/competence?{query}", headers=auth)
        assert answer.status_code == 400, query
        assert answer.get_json()["code"] == "bad_filter"
