"""Exports (CSV, XLSX) and the API answer aggregates only, under the same rule as pages."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from app.common.spreadsheet import neutralise
from tests.evaluation.builders import answered_offering, make_course
from tests.factories import make_org, make_token, make_user


def test_cells_that_a_spreadsheet_would_run_are_neutralised():
    for text in ('=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx"):
        assert neutralise(text).startswith("'")
    assert neutralise("Helt greit") == "Helt greit"
    assert neutralise(4.5) == 4.5


def test_the_csv_opens_as_columns_in_norwegian_excel_and_runs_nothing(web, session, login_as):
    org = make_org(session)
    course = make_course(session, org=org, title="=cmd|' /C calc'!A0", slug="farlig")
    answered_offering(session, course, 5, scores=(4, 5, 3, 9))
    login_as(make_user(session, org=org, roles=["hr"]))
    response = web.get("/evalueringer/resultater/eksport.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeffKurs;Svar;")
    line = text.splitlines()[1]
    assert line.startswith("'=cmd")
    assert ";5;0;4,0;5,0;3,0;100;" in line  # one decimal, as the results page shows


def test_the_xlsx_has_courses_offerings_and_comments_without_names(web, session, login_as):
    org = make_org(session)
    course = make_course(session, org=org, title="IT i hverdagen")
    answered_offering(session, course, 5, comment='=HYPERLINK("http://evil")', title="Høst")
    answered_offering(session, course, 2, comment="for få", title="Vår")
    person = make_user(session, org=org, roles=["hr"], name="Sigrid Aune")
    login_as(person)
    response = web.get("/evalueringer/resultater/eksport.xlsx")
    book = load_workbook(BytesIO(response.get_data()))
    assert book.sheetnames == ["Kurs", "Gjennomføringer", "Kommentarer"]
    courses = list(book["Kurs"].values)
    assert courses[1][:3] == ("IT i hverdagen", 5, 2)
    assert book["Kurs"].freeze_panes == "A2"
    offerings = {row[1]: row for row in list(book["Gjennomføringer"].values)[1:]}
    assert offerings["Høst"][3] == 5 and offerings["Høst"][5] == 4
    assert offerings["Vår"][3] == 0 and offerings["Vår"][5] is None, "counts only under five"
    comments = [row[2] for row in list(book["Kommentarer"].values)[1:]]
    assert len(comments) == 5 and all(c.startswith("'=HYPERLINK") for c in comments)
    everything = repr([list(ws.values) for ws in book.worksheets])
    assert "for få" not in everything and "Aune" not in everything


def test_the_api_gives_the_number_of_respondents_and_no_figures_below_five(client, session):
    org = make_org(session)
    course = make_course(session, org=org, slug="api-kurs")
    offering = answered_offering(session, course, 4)
    hr = make_user(session, org=org, roles=["hr"])
    headers = {"Authorization": f"Bearer {make_token(session, hr)}"}
    body = client.get("/api/v1/courses/api-kurs/evaluation", headers=headers).get_json()
    assert body == {
        "course": "api-kurs",
        "threshold": 5,
        "respondents": 4,
        "counted": 0,
        "follow_up": {"respondents": 0, "counted": 0},
    }

    from tests.evaluation.builders import answer, enrol

    answer(session, enrol(session, offering), relevance=2, recommend=10)
    body = client.get("/api/v1/courses/api-kurs/evaluation", headers=headers).get_json()
    assert (body["respondents"], body["counted"]) == (5, 5)
    assert body["relevance"] == {"mean": 3.6, "n": 5}
    assert body["recommend"]["nps"] == 20
    assert body["distributions"]["relevance"] == [0, 1, 0, 4, 0]


def test_the_api_answers_only_within_the_callers_scope(client, session):
    course = make_course(session, slug="annen")
    answered_offering(session, course, 5)
    stranger = make_user(session, roles=["hr"])
    participant = make_user(session, org=stranger.organisation)
    url = "/api/v1/courses/annen/evaluation"
    response = client.get(url, headers={"Authorization": f"Bearer {make_token(session, stranger)}"})
    assert response.status_code == 404
    assert response.get_json()["code"] == "not_found"
    response = client.get(
        url, headers={"Authorization": f"Bearer {make_token(session, participant)}"}
    )
    assert response.status_code == 403
    assert client.get(url).status_code == 401
    assert (
        "/api/v1/courses/{slug}/evaluation"
        in client.get("/api/v1/openapi.json").get_json()["paths"]
    )
