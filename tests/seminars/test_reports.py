"""Reports per seminar and per person: who attended which sessions, attendance %,
no-shows, whether the course's attendance rule is met; CSV and XLSX."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from app.orm import utcnow
from app.seminars import services
from app.seminars.models import AttendanceStatus as S
from app.seminars.reports import seminar_report
from tests.factories import make_unit, make_user
from tests.seminars.builders import enrol_many, make_seminar, organiser_of


def _seminar_with_marks(session):
    offering = make_seminar(session, sessions=2, start=utcnow() - timedelta(hours=3))
    first, second = offering.sessions
    organiser = organiser_of(session, offering)
    kari, ola, per = enrol_many(session, offering, 3)
    kari.name, ola.name, per.name = "Kari", "=Ola", "Per"
    services.bulk_set(session, actor=organiser, course_session=first,
                      items=[(kari.id, S.PRESENT), (ola.id, S.EXCUSED), (per.id, S.ABSENT)],
                      now=utcnow())
    services.bulk_set(session, actor=organiser, course_session=second,
                      items=[(kari.id, S.LATE), (ola.id, S.PRESENT)], now=utcnow())
    guest = services.add_participant(session, actor=organiser, course_session=first,
                                     name="Áile Hætta", organisation_name="Statsforvalteren",
                                     email=None, now=utcnow())
    session.flush()
    return offering, organiser, (kari, ola, per, guest)


def test_the_seminar_report_adds_up_each_person(session):
    offering, _organiser, (kari, ola, per, guest) = _seminar_with_marks(session)
    report = seminar_report(session, offering, now=utcnow())
    by_name = {r.name: r for r in report.rows}
    assert [r.name for r in report.rows] == ["=Ola", "Áile Hætta", "Kari", "Per"]
    assert (by_name["Kari"].summary.percent, by_name["Kari"].meets_rule) == (100, True)
    assert (by_name["=Ola"].summary.percent, by_name["=Ola"].meets_rule) == (50, False)
    assert by_name["Per"].summary.no_show and not by_name["=Ola"].summary.no_show
    assert by_name["Áile Hætta"].kind == "participant"
    assert [r.name for r in report.no_shows] == ["Per"]
    first = offering.sessions[0]
    assert report.per_session[first.id]["present"] == 2  # Kari and the guest


def test_the_report_page_and_its_exports(client, session, login_as):
    offering, organiser, _people = _seminar_with_marks(session)
    login_as(organiser)
    page = client.get(f"/samlinger/{offering.id}/rapport").get_data(as_text=True)
    assert "Kari" in page and "Áile Hætta" in page and "1 har ikke møtt på noen økt." in page
    csv_response = client.get(f"/samlinger/{offering.id}/rapport.csv")
    assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"
    csv_text = csv_response.data.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("Navn;Enhet / organisasjon;Type;")
    assert any(line.startswith("'=Ola;") for line in lines)  # formula neutralised
    assert any(line.startswith("Kari;") and line.endswith(";2;2;100;Nei;Ja") for line in lines)
    xlsx = client.get(f"/samlinger/{offering.id}/rapport.xlsx")
    assert xlsx.headers["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["'=Ola", "Áile Hætta", "Kari", "Per"]


def test_the_seminar_report_costs_the_same_statements_whatever_the_size(
        client, session, login_as, count_queries):
    def statements(n):
        offering = make_seminar(session, sessions=3)
        organiser = login_as(organiser_of(session, offering))
        people = enrol_many(session, offering, n)
        services.bulk_set(session, actor=organiser, course_session=offering.sessions[0],
                          items=[(p.id, S.PRESENT) for p in people], now=utcnow())
        with count_queries() as q:
            assert client.get(f"/samlinger/{offering.id}/rapport").status_code == 200
        return q.count

    assert statements(5) == statements(60) <= 8


def test_the_person_report_shows_a_persons_seminars_to_organisers_and_hr(client, session,
                                                                         login_as):
    offering, organiser, (kari, *_rest) = _seminar_with_marks(session)
    login_as(organiser)
    page = client.get(f"/samlinger/personer/{kari.id}").get_data(as_text=True)
    assert "Deltatt på 2 av 2 økter" in page and "Oppfyller oppmøtekravet" in page
    csv_text = client.get(f"/samlinger/personer/{kari.id}.csv").data.decode("utf-8-sig")
    assert "Prosjektledersamling – Vår" in csv_text
    hr = make_user(session, org=kari.organisation, roles=["hr"])
    login_as(hr)
    assert client.get(f"/samlinger/personer/{kari.id}").status_code == 200
    xlsx = client.get(f"/samlinger/personer/{kari.id}.xlsx")
    assert load_workbook(io.BytesIO(xlsx.data)).active["A2"].value == "Prosjektledersamling – Vår"


def test_hr_sees_only_people_in_their_own_scope(client, session, login_as):
    offering, _organiser, (kari, *_rest) = _seminar_with_marks(session)
    elsewhere = make_unit(session, org=kari.organisation)
    login_as(make_user(session, org=kari.organisation, roles=[("hr", elsewhere)]))
    assert client.get(f"/samlinger/personer/{kari.id}").status_code == 404
    login_as(make_user(session, roles=["hr"]))  # another organisation
    assert client.get(f"/samlinger/personer/{kari.id}.csv").status_code == 404


def test_an_organiser_sees_only_their_own_organisations_seminars_of_a_person(client, session,
                                                                             login_as):
    _offering, _organiser, (kari, *_rest) = _seminar_with_marks(session)
    login_as(make_user(session, roles=["organiser"]))  # organiser elsewhere
    # Kari is neither in their organisation nor on the list of one of their seminars.
    assert client.get(f"/samlinger/personer/{kari.id}").status_code == 404
