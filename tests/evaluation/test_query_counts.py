"""The main evaluation pages use a bounded number of SQL statements, whatever the data."""

from __future__ import annotations

from tests.evaluation.builders import answered_offering, make_course
from tests.factories import make_org, make_user

PAGES = [
    "/evalueringer/resultater",
    "/evalueringer/resultater/kurs/tellekurs",
    "/evalueringer/resultater/delte",
    "/evalueringer/",
    "/",
]


def statements(web, count_queries, url) -> int:
    with count_queries() as counter:
        response = web.get(url)
    assert response.status_code == 200, url
    return counter.count


def test_results_pages_stay_within_eight_statements_at_two_data_sizes(
    web, session, login_as, count_queries
):
    org = make_org(session)
    hr = make_user(session, org=org, roles=["hr", "organiser", "editor"])
    login_as(hr)
    course = make_course(session, org=org, slug="tellekurs", package_uid="org/tellekurs")
    answered_offering(session, course, 5, comment="bra")
    small = {url: statements(web, count_queries, url) for url in PAGES}

    for _ in range(5):
        answered_offering(session, course, 7, comment="bra")
        answered_offering(session, make_course(session, org=org), 6)
    large = {url: statements(web, count_queries, url) for url in PAGES}
    assert large == small
    assert max(large.values()) <= 8, large
