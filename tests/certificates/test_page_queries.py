"""The organiser's certificate pages cost the same few statements for a handful of people
and for a full course (design.md §9 Q1)."""

from __future__ import annotations

from app.certificates.services import check_completion
from app.orm import utcnow
from tests.certificates.builders import enrol, make_course, make_offering, mark
from tests.factories import make_user


def _statements(app, client, session, login_as, count_queries, issue_settings, people):
    course = make_course(session, completion_requires_attendance=True)
    offering = make_offering(session, course, sessions=2)
    with app.test_request_context():
        for _ in range(people):
            person = make_user(session, org=course.organisation)
            enrol(session, offering, person)
            for course_session in offering.sessions:
                mark(session, course_session, person)
            check_completion(session, user=person, course=course, now=utcnow(),
                             source="attendance", settings=issue_settings)
    login_as(make_user(session, org=course.organisation, roles=["organiser"]))
    counts = []
    for path in (f"/kursbevis/tilbud/{offering.id}", "/kursbevis/administrer"):
        with count_queries() as queries:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(queries.count)
    page = client.get(f"/kursbevis/tilbud/{offering.id}").get_data(as_text=True)
    assert page.count("/pdf") >= people
    return counts


def test_the_certificate_pages_cost_the_same_statements_for_three_and_thirty_people(
        app, client, session, login_as, count_queries, issue_settings):
    small = _statements(app, client, session, login_as, count_queries, issue_settings, 3)
    large = _statements(app, client, session, login_as, count_queries, issue_settings, 30)
    assert small == large
    assert max(small) <= 8, small
