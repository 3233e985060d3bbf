"""The quiz pages need a bounded number of queries, whatever the quiz's size."""

from __future__ import annotations

import re

import pytest

from tests.certificates.builders import add_single, make_course, make_quiz
from tests.factories import make_user


@pytest.mark.parametrize("questions", [2, 30])
def test_taking_and_the_result_use_a_bounded_number_of_queries(web, session, login_as,
                                                               count_queries, questions):
    course = make_course(session)
    quiz = make_quiz(session, course, questions=questions, paging="all")
    for _ in range(questions // 2):
        add_single(session, quiz)
    login_as(make_user(session, org=quiz.course.organisation))
    start = web.post(f"/prover/{quiz.id}/start")
    attempt_id = int(start.headers["Location"].rsplit("/", 1)[1])
    with count_queries() as take:
        html = web.get(f"/forsok/{attempt_id}").get_data(as_text=True)
    assert take.count <= 8, take.statements
    seq = re.search(r'name="sequence" value="(\d+)"', html).group(1)
    web.post(f"/forsok/{attempt_id}", {"sequence": seq, "page": 0, "action": "submit"})
    with count_queries() as result:
        assert web.get(f"/forsok/{attempt_id}/resultat").status_code == 200
    assert result.count <= 8, result.statements
    with count_queries() as show:
        assert web.get(f"/prover/{quiz.id}").status_code == 200
    assert show.count <= 8, show.statements
