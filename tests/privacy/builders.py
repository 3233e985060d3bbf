"""A leaver with data in every table that can hold something about a person, and the people
around her: her leader, an HR adviser who looked her up, an admin."""

from __future__ import annotations

from dataclasses import dataclass

from app.accounts.models import LoginAttempt, User
from app.certificates.models import Certificate, Completion
from app.certificates.services import check_completion, record_completion
from app.certificates.settings import from_config
from app.common.models import AuditEvent
from app.enrolment.models import Enrolment
from app.evaluation.models import Evaluation, EvaluationAnswer, EvaluationQuestion
from app.jobs.models import Job
from app.orm import utcnow
from app.outbox.services import queue_email
from app.privacy.access import log_access
from app.quizzes.models import Answer, Attempt, Question
from app.seminars.models import NetworkEntry, Participant, RegistrationAnswer, WalkIn
from app.toolbox.models import ITProject, ToolboxItem
from tests.certificates.builders import (
    add_modules,
    enrol,
    make_course,
    make_offering,
    make_quiz,
    mark,
    read_modules,
)
from tests.factories import make_org, make_token, make_unit, make_user

NAME = "Gudrun Østgård-Kvål"
SURNAME = "Østgård-Kvål"
EMAIL = "gudrun.ostgard-kval@trondheim.example"
EMPLOYEE_NO = "T-4471903"


@dataclass
class World:
    leaver: User
    leader: User
    hr: User
    admin: User
    certificate: Certificate
    needles: tuple[str, ...] = (NAME, SURNAME, EMAIL, EMPLOYEE_NO)


def build_world(app, session) -> World:
    now = utcnow()
    settings = from_config(app.config)
    org = make_org(session, slug="trondheim-test", name="Trondheim kommune")
    admin = make_user(session, org=org, roles=["admin"], name="Per Admin")
    hr = make_user(session, org=org, roles=["hr"], name="Sigrid HR")
    leader = make_user(session, org=org, name="Lars Leder", leader_level="mellomleder")
    unit = make_unit(session, org=org, name="Hjemmetjenesten", manager=leader)
    leaver = make_user(session, org=org, unit=unit, name=NAME, email=EMAIL,
                       employee_number=EMPLOYEE_NO, title="Avdelingsleder",
                       leader_level="forstelinjeleder", roles=["organiser"],
                       password="riktig hest batteri stift")
    own_unit = make_unit(session, org=org, parent=unit, name="Avdeling Øst", manager=leaver)
    assert own_unit.manager_id == leaver.id
    make_token(session, leaver, name="min integrasjon")
    session.add_all([LoginAttempt(email=EMAIL, address="10.0.0.7", at=now, success=True),
                     LoginAttempt(email=EMAIL, address="10.0.0.7", at=now, success=False)])

    # A course completed by attendance, with modules, a quiz and a certificate.
    course = make_course(session, org=org, title="IT i hverdagen",
                         completion_requires_attendance=True)
    add_modules(session, course, n=2)
    read_modules(session, course, leaver)
    offering = make_offering(session, course, sessions=2)
    offering.contact_name, offering.contact_email = NAME, EMAIL
    offering.sessions[0].speaker = NAME
    enrolment = enrol(session, offering, leaver)
    enrolment.note = f"{NAME} ønsker vegetarmat"
    for s in offering.sessions:
        mark(session, s, leaver)
    with app.test_request_context():
        completion = check_completion(session, user=leaver, course=course, now=now,
                                      source="attendance", settings=settings)
        external = make_course(session, org=org, title="Personvern for ledere")
        record_completion(session, user=leaver, course=external, completed_at=now, now=now,
                          source="external", number=1, actor=hr, settings=settings,
                          evidence=f"Kursbevis fra KS for {NAME}, ansattnr. {EMPLOYEE_NO}")
        # A mail to her leader that names her.
        queue_email(session, recipient=leader.email, subject=f"{NAME} ber om godkjenning",
                    body_text=f"{NAME} ({EMAIL}) vil melde seg på.", now=now,
                    domain="kurs.example", user_id=leader.id, reason="test:approval")
    certificate = session.query(Certificate).filter_by(completion_id=completion.id).one()

    quiz = make_quiz(session, course, questions=1)
    text_q = Question(quiz=quiz, position=2, kind="short_text", prompt="Hva heter du?",
                      points=1, accepted_answers=["x"])
    session.add(text_q)
    session.flush()
    attempt = Attempt(quiz_id=quiz.id, user_id=leaver.id, number=1, status="graded",
                      question_ids=[q.id for q in quiz.questions] + [text_q.id],
                      graded_at=now, score=1, max_score=2, percent=50, passed=True)
    session.add(attempt)
    session.flush()
    session.add_all([
        Answer(attempt_id=attempt.id, question_id=quiz.questions[0].id,
               response={"value": True}, points=1),
        Answer(attempt_id=attempt.id, question_id=text_q.id,
               response={"text": f"Jeg heter {NAME}"}, points=0),
    ])

    # Evaluation with free text, and a course question of its own.
    question = EvaluationQuestion(course_id=course.id, position=1, text="Hva savnet du?",
                                  kind="text", created_by_id=admin.id)
    scored = EvaluationQuestion(course_id=course.id, position=2, text="Lokalet?",
                                kind="scale", created_by_id=admin.id)
    session.add_all([question, scored])
    session.flush()
    evaluation = Evaluation(enrolment_id=enrolment.id, offering_id=offering.id, kind="first",
                            relevance=5, usefulness=4, teaching=4, recommend=9,
                            comment=f"Hilsen {NAME}")
    session.add(evaluation)
    session.flush()
    session.add_all([
        EvaluationAnswer(evaluation_id=evaluation.id, question_id=question.id,
                         text=f"Mer om personvern, sier {NAME}"),
        EvaluationAnswer(evaluation_id=evaluation.id, question_id=scored.id, score=3,
                         text="Kaldt"),
    ])

    # A seminar: registration answers (diet, allergies), directory, walk-in, a participant.
    seminar = make_offering(session, make_course(session, org=org, title="Prosjektledersamling",
                                                 kind="seminar"), sessions=1)
    session.add_all([
        RegistrationAnswer(offering_id=seminar.id, user_id=leaver.id,
                           diet="Glutenfri, nøtteallergi", accessibility="Rullestol",
                           free_text=f"Ring {NAME} på 99887766"),
        NetworkEntry(offering_id=seminar.id, user_id=leaver.id, projects="Ny turnusplan",
                     phone="99887766"),
        WalkIn(offering_id=seminar.id, user_id=leaver.id, status="confirmed",
               decided_by_id=admin.id, decided_at=now),
        Participant(offering_id=seminar.id, name="Ekstern Person", created_by_id=leaver.id),
        Enrolment(offering_id=seminar.id, user_id=leaver.id, status="enrolled",
                  reason=f"Påmeldt av {NAME} selv"),
    ])

    # The toolbox and the project register.
    session.add(ToolboxItem(organisation_id=org.id, slug="mal", title="Mal",
                            category="mandate", owner_id=leaver.id))
    session.add(ITProject(organisation_id=org.id, unit_id=unit.id, name="Turnus",
                          purpose=f"Ledes av {NAME}", leader_id=leaver.id,
                          contact_email=EMAIL, created_by_id=leaver.id))
    session.add(Job(kind="certificates.zip", params={"requested_by": NAME},
                    created_by_id=leaver.id, status="done"))

    # Others looked her up; the audit trail knows her address.
    log_access(session, actor=hr, kind="accounts.person", now=now,
               filters={"q": SURNAME, "employee_number": EMPLOYEE_NO}, row_count=1,
               subject_ids=[leaver.id])
    session.add(AuditEvent(actor_id=admin.id, action="accounts.updated",
                           object_type="User", object_id=str(leaver.id),
                           detail={"email": EMAIL, "name": NAME}))
    session.flush()
    assert session.query(Completion).filter_by(user_id=leaver.id).count() == 2
    return World(leaver=leaver, leader=leader, hr=hr, admin=admin, certificate=certificate)
