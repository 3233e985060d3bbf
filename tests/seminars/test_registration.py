"""Registration questions (seen only by the seminar's organisers, deleted a set number of
days after the seminar) and the opt-in participant network."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.errors import DomainError, ForbiddenError
from app.orm import utcnow
from app.seminars import registration
from app.seminars.models import NetworkEntry, RegistrationAnswer, RegistrationQuestions
from tests.factories import make_unit, make_user
from tests.seminars.builders import enrol, enrol_many, make_seminar, organiser_of
from tests.seminars.test_documents import needs_pdftotext, text_of
from tests.toolbox.builders import make_project


def ask(session, offering, **kw):
    values = {"ask_diet": True, "ask_accessibility": True, "free_text_label": None,
              "retention_days": 14, **kw}
    return registration.save_questions(session, actor=organiser_of(session, offering),
                                       offering=offering, now=utcnow(), **values)


def test_the_organiser_chooses_the_questions_and_the_retention(web, client, session,
                                                                login_as):
    offering = make_seminar(session)
    login_as(organiser_of(session, offering))
    url = f"/samlinger/{offering.id}/sporsmal"
    bad = web.post(url, {"ask_diet": "y", "retention_days": "400"}, page=url)
    assert bad.status_code == 422
    assert "Skriv et tall fra 0 til 365." in bad.get_data(as_text=True)
    ok = web.post(url, {"ask_diet": "y", "free_text_label": "Hva vil du lære?",
                        "retention_days": "0"}, page=url)
    assert ok.status_code == 302
    questions = session.get(RegistrationQuestions, offering.id)
    assert (questions.ask_diet, questions.ask_accessibility, questions.free_text_label,
            questions.retention_days) == (True, False, "Hva vil du lære?", 0)


def test_an_enrolled_person_answers_on_the_programme_page(web, client, session, login_as):
    offering = make_seminar(session, start=utcnow() + timedelta(days=3))
    ask(session, offering, free_text_label="Hva vil du lære?")
    kari = login_as(make_user(session))
    enrol(session, offering, kari, status="waitlisted")
    page = client.get(f"/samlinger/{offering.id}").get_data(as_text=True)
    assert "Kosthold og allergier" in page and "Hva vil du lære?" in page
    response = web.post(f"/samlinger/{offering.id}/mine-svar",
                        {"diet": "Nøtteallergi", "accessibility": "", "free_text": "Risiko"},
                        page=f"/samlinger/{offering.id}")
    assert response.status_code == 302
    answer = session.scalar(sa.select(RegistrationAnswer))
    assert (answer.diet, answer.accessibility, answer.free_text) == ("Nøtteallergi", None,
                                                                     "Risiko")


def test_the_programme_shows_the_saved_answers_and_reads_them_with_the_seminar(
        client, session, login_as, count_queries):
    offering = make_seminar(session, start=utcnow() + timedelta(days=3))
    ask(session, offering, free_text_label="Hva vil du lære?")
    kari = login_as(make_user(session))
    enrol(session, offering, kari)
    registration.save_answers(session, user=kari, offering=offering, diet="Laktosefri",
                              accessibility=None, free_text="Gevinstrealisering", now=utcnow())
    with count_queries() as statements:
        page = client.get(f"/samlinger/{offering.id}").get_data(as_text=True)
    assert "Du er påmeldt" in page
    assert "Laktosefri</textarea>" in page
    assert "Gevinstrealisering" in page
    # The person; the seminar with their place, the questions and their answers; the
    # sessions; the templates the sessions review.
    assert statements.count == 4


def test_only_the_seminars_organisers_see_the_answers(web, client, session, login_as):
    offering = make_seminar(session, start=utcnow() + timedelta(days=3))
    ask(session, offering)
    [kari, ola] = enrol_many(session, offering, 2)
    registration.save_answers(session, user=kari, offering=offering, diet="Glutenfri",
                              accessibility=None, free_text=None, now=utcnow())
    login_as(ola)
    assert "Glutenfri" not in client.get(f"/samlinger/{offering.id}").get_data(as_text=True)
    assert client.get(f"/samlinger/{offering.id}/sporsmal").status_code == 403
    login_as(make_user(session, roles=["organiser"]))  # another organisation's organiser
    assert client.get(f"/samlinger/{offering.id}/sporsmal").status_code == 404
    assert client.get(f"/samlinger/{offering.id}/tilrettelegging.pdf").status_code == 404
    login_as(organiser_of(session, offering))
    assert "Glutenfri" in client.get(f"/samlinger/{offering.id}/sporsmal").get_data(
        as_text=True)
    assert client.get(f"/samlinger/{offering.id}/tilrettelegging.pdf").mimetype == (
        "application/pdf")


def test_too_long_answers_come_back_with_what_was_typed(web, session, login_as):
    offering = make_seminar(session, start=utcnow() + timedelta(days=3))
    ask(session, offering)
    kari = login_as(make_user(session))
    enrol(session, offering, kari)
    response = web.post(f"/samlinger/{offering.id}/mine-svar",
                        {"diet": "Vegetar", "accessibility": "x" * 1001},
                        page=f"/samlinger/{offering.id}")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Dette må rettes" in text and "Vegetar" in text
    assert session.scalar(sa.select(sa.func.count()).select_from(RegistrationAnswer)) == 0


def test_answers_are_refused_from_strangers_after_the_seminar_and_empty_ones_are_removed(
        session):
    offering = make_seminar(session, start=utcnow() + timedelta(days=3))
    ask(session, offering)
    [kari] = enrol_many(session, offering, 1)
    with pytest.raises(ForbiddenError):
        registration.save_answers(session, user=make_user(session), offering=offering,
                                  diet="x", accessibility=None, free_text=None, now=utcnow())
    registration.save_answers(session, user=kari, offering=offering, diet="Vegetar",
                              accessibility=None, free_text=None, now=utcnow())
    assert registration.save_answers(session, user=kari, offering=offering, diet=" ",
                                     accessibility="", free_text=None, now=utcnow()) is None
    assert session.scalar(sa.select(sa.func.count()).select_from(RegistrationAnswer)) == 0
    with pytest.raises(DomainError):
        registration.save_answers(session, user=kari, offering=offering, diet="Vegetar",
                                  accessibility=None, free_text=None,
                                  now=utcnow() + timedelta(days=10))


def test_the_purge_deletes_answers_once_the_retention_has_run_out(session, runner):
    ended = make_seminar(session, start=utcnow() - timedelta(days=20))
    recent = make_seminar(session, start=utcnow() - timedelta(days=2))
    for offering in (ended, recent):
        ask(session, offering, retention_days=14)
        [kari] = enrol_many(session, offering, 1)
        session.add(RegistrationAnswer(offering_id=offering.id, user_id=kari.id, diet="Vegetar"))
    session.flush()
    assert registration.purge_answers(session, now=utcnow()) == {ended.id: 1}
    remaining = session.scalars(sa.select(RegistrationAnswer.offering_id)).all()
    assert remaining == [recent.id]
    assert session.get(RegistrationQuestions, ended.id).purged_at is not None
    assert registration.purge_answers(session, now=utcnow()) == {}  # safe to run again
    later = utcnow() + timedelta(days=13)
    assert registration.purge_answers(session, now=later) == {recent.id: 1}


@needs_pdftotext
def test_answers_past_their_retention_are_hidden_even_before_the_purge_runs(
        client, session, login_as):
    ended = make_seminar(session, start=utcnow() - timedelta(days=20))
    ask(session, ended, retention_days=14)
    [kari] = enrol_many(session, ended, 1)
    kari.name = "Kari Åsen"
    session.add(RegistrationAnswer(offering_id=ended.id, user_id=kari.id, diet="Nøtteallergi"))
    session.flush()
    login_as(organiser_of(session, ended))
    page = client.get(f"/samlinger/{ended.id}/sporsmal").get_data(as_text=True)
    assert "Nøtteallergi" not in page and "Kari Åsen" not in page
    assert "De vises ikke lenger og slettes ved neste opprydding." in page
    sheet = client.get(f"/samlinger/{ended.id}/tilrettelegging.pdf")
    assert "Nøtteallergi" not in text_of(sheet.data) and "Kari Åsen" not in text_of(sheet.data)
    # Still inside the retention, the same answer is shown and printed.
    session.execute(sa.update(RegistrationQuestions)
                    .where(RegistrationQuestions.offering_id == ended.id)
                    .values(retention_days=30))
    session.expire_all()
    assert "Nøtteallergi" in client.get(f"/samlinger/{ended.id}/sporsmal").get_data(
        as_text=True)
    assert "Nøtteallergi" in text_of(client.get(f"/samlinger/{ended.id}/tilrettelegging.pdf")
                                     .data)


def test_flask_seminars_purge_reports_what_it_deleted(runner, session):
    offering = make_seminar(session, start=utcnow() - timedelta(days=40))
    ask(session, offering, retention_days=30)
    for person in enrol_many(session, offering, 2):
        session.add(RegistrationAnswer(offering_id=offering.id, user_id=person.id, diet="x"))
    session.flush()
    result = runner.invoke(args=["seminars", "purge"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 registration answer(s) from 1 seminar(s)." in result.output


def test_the_network_shows_only_those_who_opted_in_and_withdrawing_removes_them(
        web, client, session, login_as):
    offering = make_seminar(session)
    kari, ola = enrol_many(session, offering, 2)
    kari.name, ola.name = "Kari Nett", "Ola Privat"
    url = f"/samlinger/{offering.id}/nettverk"
    login_as(kari)
    refused = web.post(url, {"projects": "Nytt fagsystem"}, page=url)
    assert refused.status_code == 422  # no consent ticked: nothing stored, nothing lost
    text = refused.get_data(as_text=True)
    assert "Kryss av for å bli med i nettverket." in text and "Nytt fagsystem" in text
    assert session.scalar(sa.select(sa.func.count()).select_from(NetworkEntry)) == 0
    web.post(url, {"projects": "Nytt fagsystem", "phone": "+47 900 00 000", "consent": "y"},
             page=url)
    organiser = organiser_of(session, offering)
    login_as(organiser)
    page = client.get(url).get_data(as_text=True)
    assert "Kari Nett" in page and "Nytt fagsystem" in page and "+47 900 00 000" in page
    assert "Ola Privat" not in page
    login_as(kari)
    web.post(f"{url}/trekk", {}, page=url)
    login_as(organiser)
    assert "Kari Nett" not in client.get(url).get_data(as_text=True)


def test_the_network_shows_the_projects_each_member_leads_in_the_register(
        web, client, session, login_as):
    offering = make_seminar(session)
    kari, ola = enrol_many(session, offering, 2)
    kari.name, ola.name = "Kari Nett", "Ola Privat"
    unit = make_unit(session, org=offering.organisation)
    running = make_project(session, unit=unit, leader=kari, name="Nytt sak/arkiv-system")
    make_project(session, unit=unit, leader=kari, name="Gammelt prosjekt", phase="closed")
    make_project(session, unit=unit, leader=ola, name="Olas hemmelige prosjekt")
    elsewhere = make_project(session, unit=make_unit(session), leader=kari,
                             name="Annen kommunes prosjekt")
    url = f"/samlinger/{offering.id}/nettverk"
    login_as(kari)
    web.post(url, {"projects": "", "consent": "y"}, page=url)
    login_as(ola)
    page = client.get(url).get_data(as_text=True)
    assert "Nytt sak/arkiv-system" in page
    assert f'href="/prosjekter/{running.id}"' in page
    # Closed projects, projects of someone who has not opted in, and projects of a
    # register the reader may not see stay out.
    assert "Gammelt prosjekt" not in page and "Olas hemmelige prosjekt" not in page
    assert elsewhere.name not in page


def test_the_network_is_closed_to_people_outside_the_seminar(client, session, login_as):
    offering = make_seminar(session)
    login_as(make_user(session, org=offering.organisation))
    assert client.get(f"/samlinger/{offering.id}/nettverk").status_code == 404
    with pytest.raises(ForbiddenError):
        registration.join_network(session, user=make_user(session), offering=offering,
                                  projects="", phone=None, now=utcnow())
