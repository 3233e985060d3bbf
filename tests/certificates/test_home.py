"""The home page shows my certificates, the quizzes I have to take and what is due again."""

from __future__ import annotations

import pytest

from tests.certificates.builders import enrol, make_course, make_offering, make_quiz


def test_the_home_page_lists_my_certificates_and_quizzes_to_take(client, session, login_as,
                                                                 certify):
    user, _offering, cert = certify(title="Prosjektledersamling")
    quiz_course = make_course(session, org=user.organisation, title="IT i hverdagen",
                              completion_requires_quiz=True)
    quiz = make_quiz(session, quiz_course, questions=2)
    enrol(session, make_offering(session, quiz_course, sessions=1), user)
    login_as(user)
    html = client.get("/").get_data(as_text=True)
    assert f"/kursbevis/{cert.id}/pdf" in html and f"/verify/{cert.code}" in html
    assert f"/prover/{quiz.id}" in html and quiz.title in html


@pytest.mark.parametrize("people", [1, 12])
def test_the_home_page_needs_a_bounded_number_of_queries(client, session, login_as,
                                                         count_queries, certify, people):
    users = [certify()[0] for _ in range(people)]
    for user in users[:1]:
        for _ in range(people):
            course = make_course(session, org=user.organisation,
                                 completion_requires_quiz=True)
            make_quiz(session, course)
            enrol(session, make_offering(session, course, sessions=1), user)
    login_as(users[0])
    with count_queries() as queries:
        assert client.get("/").status_code == 200
    assert queries.count <= 8, queries.statements
