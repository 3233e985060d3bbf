"""Two organisations with one of everything, for the security tests.

``build_world(session, app, tag, kind)`` gives an organisation with a unit tree, one person
per actor (participant, unit leader, organiser, HR, editor, admin) and the objects every
route takes an id of: a course with a module, a quiz, attempts, offerings with sessions,
enrolments, a seminar with walk-ins and external participants, a certificate, evaluation
requests and questions, a published package with a draft and an attachment, toolbox items,
IT projects with documents, a job, an e-mail and tokens. Every name carries the world's
``marker`` so that a test can tell whether one organisation's data shows up in the other's
pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.accounts.models import RoleAssignment
from app.catalogue.models import Course, CourseStatus, Module, Requirement
from app.certificates.models import Certificate
from app.certificates.services import check_completion
from app.certificates.settings import from_config
from app.enrolment.models import CourseSession, Enrolment, EnrolmentStatus
from app.evaluation.models import EvaluationQuestion
from app.jobs.models import Job
from app.orm import utcnow
from app.outbox.services import queue_email
from app.quizzes.models import Attempt, Quiz
from app.quizzes.services import start_attempt
from app.seminars import checkin_tokens
from app.seminars.models import (
    Attendance,
    Participant,
    RegistrationAnswer,
    RegistrationQuestions,
    WalkIn,
)
from app.sharing.drafts import current_draft
from app.sharing.models import CourseAttachment, Package, PackageVersion
from app.sharing.services import upload_package
from app.sharing.storage import BlobStore
from app.toolbox.models import Category
from tests.certificates.builders import add_single, make_quiz
from tests.enrolment.builders import make_enrolment, make_offering
from tests.evaluation.builders import ask
from tests.evaluation.builders import make_offering as make_past_offering
from tests.factories import make_org, make_token, make_unit, make_user
from tests.seminars.builders import make_seminar
from tests.sharing.builders import PDF, manifest, package_zip
from tests.toolbox.builders import attach, make_item, make_project

#: The actors of the matrix, in the order the report lists them.
ROLE_ACTORS = ("participant", "leader", "organiser", "hr", "editor", "admin")


@dataclass
class World:
    tag: str
    marker: str
    org: Any = None
    people: dict[str, Any] = field(default_factory=dict)
    #: raw API tokens per actor
    tokens: dict[str, str] = field(default_factory=dict)
    #: URL argument values for this organisation's objects (see tests/security/routes.py)
    ids: dict[str, Any] = field(default_factory=dict)


def build_world(session, app, *, tag: str, kind: str) -> World:
    marker = f"Zq{tag}Marker"
    world = World(tag=tag, marker=marker)
    org = world.org = make_org(session, slug=f"matrix-{tag.lower()}",
                               name=f"Organisasjon {marker}", kind=kind)
    root = make_unit(session, org=org, name=f"Sektor {marker}", code=f"{tag}S")
    child = make_unit(session, parent=root, name=f"Avdeling {marker}", code=f"{tag}A")
    people = world.people
    people["participant"] = make_user(session, unit=child, name=f"Deltaker {marker}",
                                      email=f"deltaker@{tag.lower()}.example",
                                      is_project_leader=True)
    people["colleague"] = make_user(session, unit=child, name=f"Kollega {marker}",
                                    email=f"kollega@{tag.lower()}.example")
    people["leader"] = make_user(session, unit=root, name=f"Leder {marker}",
                                 email=f"leder@{tag.lower()}.example",
                                 leader_level="mellomleder", leader_since=date(2020, 1, 1))
    root.manager_id = people["leader"].id
    child.manager_id = people["leader"].id
    people["service"] = make_user(session, org=org, name=f"Integrasjon {marker}",
                                  email=f"integrasjon@{tag.lower()}.example",
                                  is_service_account=True)
    for role in ("organiser", "hr", "editor", "admin"):
        people[role] = make_user(session, unit=root, roles=[role], name=f"{role} {marker}",
                                 email=f"{role}@{tag.lower()}.example")
    session.flush()
    participant, colleague = people["participant"], people["colleague"]
    storage = Path(app.config["KURS_STORAGE_DIR"])
    now = utcnow()

    with app.test_request_context():
        ids = world.ids
        ids["organisation_id"] = org.id
        ids["unit_id"] = child.id

        # A course with a module, a quiz and an attempt; an offering with enrolments.
        course = Course(organisation_id=org.id, slug=f"{tag.lower()}-kurs",
                        title=f"Kurs {marker}", summary=f"Om {marker}",
                        status=CourseStatus.PUBLISHED, completion_requires_attendance=True)
        course.modules.append(Module(position=1, title=f"Modul {marker}",
                                     body=f"Tekst {marker}", estimated_minutes=10))
        session.add(course)
        session.flush()
        ids.update(slug=course.slug, course_id=course.id, module_id=course.modules[0].id,
                   position=1)
        requirement = Requirement(organisation_id=org.id, course_id=course.id,
                                  group_kind="leader_level", leader_level="mellomleder",
                                  due_months=12)
        session.add(requirement)
        session.flush()
        ids["requirement_id"] = requirement.id
        quiz = make_quiz(session, course)
        question = add_single(session, quiz, prompt=f"Spørsmål {marker}")
        ids.update(quiz_id=quiz.id, quiz_question_id=question.id)
        attempt = start_attempt(session, user=participant, quiz=quiz, now=now)
        ids["attempt_id"] = attempt.id

        offering = make_offering(session, course=course, title=f"Tilbud {marker}",
                                 capacity=20)
        enrolment = make_enrolment(session, offering, participant)
        requested = make_enrolment(session, offering, colleague, status="requested")
        ids.update(offering_id=offering.id, enrolment_id=enrolment.id,
                   requested_enrolment_id=requested.id,
                   session_id=offering.sessions[0].id)

        # A seminar that started five minutes ago (check-in open), with people on its list.
        seminar = make_seminar(session, org=org, title=f"Samling {marker}",
                               offering_title=f"Vår {marker}")
        seminar_session = seminar.sessions[0]
        session.add(Enrolment(offering_id=seminar.id, user_id=participant.id,
                              status=EnrolmentStatus.ENROLLED))
        seminar.taken += 1
        session.add(Attendance(session_id=seminar_session.id, user_id=participant.id,
                               status="present"))
        walk_in = WalkIn(offering_id=seminar.id, user_id=colleague.id,
                         session_id=seminar_session.id, status="requested")
        external = Participant(offering_id=seminar.id, name=f"Ekstern {marker}",
                               organisation_name=f"Firma {marker}")
        session.add_all([walk_in, external])
        session.flush()
        session.add(RegistrationQuestions(offering_id=seminar.id, ask_diet=True,
                                          ask_accessibility=True,
                                          free_text_label=f"Spørsmål {marker}"))
        session.add(RegistrationAnswer(offering_id=seminar.id, user_id=participant.id,
                                       diet=f"Kost {marker}", accessibility=f"Behov {marker}"))
        ids.update(seminar_id=seminar.id, seminar_session_id=seminar_session.id,
                   walk_in_id=walk_in.id, participant_id=external.id,
                   checkin_token=checkin_tokens.make_token(app.config["SECRET_KEY"],
                                                           seminar_session.id, now))

        # A completion with its certificate.
        settings = from_config(app.config)
        done = make_offering(session, course=course, title=f"Høst {marker}",
                             starts_in=timedelta(days=-40))
        make_enrolment(session, done, participant)
        for s in done.sessions:
            session.add(Attendance(session_id=s.id, user_id=participant.id, status="present"))
        session.flush()
        completion = check_completion(session, user=participant, course=course, now=now,
                                      source="attendance", settings=settings)
        cert = session.scalar(sa.select(Certificate)
                              .where(Certificate.completion_id == completion.id))
        ids.update(cert_id=cert.id, code=cert.code)

        # Evaluation: an ended offering, a request to the participant, a course question.
        past = make_past_offering(session, course, title=f"Evaluert {marker}",
                                  ends_at=now - timedelta(days=3),
                                  creator=people["organiser"])
        past_enrolment = make_enrolment(session, past, participant)
        request = ask(session, past_enrolment, opens_at=now - timedelta(days=2))
        eval_question = EvaluationQuestion(course_id=course.id, position=1,
                                           text=f"Eget spørsmål {marker}")
        session.add(eval_question)
        session.flush()
        ids.update(request_id=request.id, past_offering_id=past.id,
                   evaluation_question_id=eval_question.id)

        # Sharing: a published package with an attachment, and a draft of it.
        store = BlobStore(storage)
        zip_data = package_zip(
            manifest_doc=manifest(
                uid=f"no.matrix.{tag.lower()}", slug=f"{tag.lower()}-pakke",
                title=f"Pakke {marker}", summary=f"Pakke {marker}",
                publisher={"slug": org.slug, "name": org.name, "kind": kind},
                attachments=[{"file": "vedlegg/notat.pdf", "title": f"Notat {marker}"}],
            ),
            extra={"vedlegg/notat.pdf": PDF},
        )
        received = upload_package(session, actor=people["editor"], data=zip_data,
                                  store=store, now=now, scope="partners")
        package_course = received.course
        draft = current_draft(session, course=package_course, store=store)
        attachment = session.scalar(sa.select(CourseAttachment).where(
            CourseAttachment.course_id == package_course.id))
        version = session.scalar(sa.select(PackageVersion).join(Package)
                                 .where(Package.uid == received.package.uid))
        ids.update(uid=received.package.uid, version=version.version,
                   package_slug=package_course.slug, attachment_id=attachment.id,
                   attachment_name=attachment.name,
                   module_name=draft.content["modules"][0]["name"])

        # Toolbox and the IT project register.
        item = make_item(session, org, storage, title=f"Mal {marker}",
                         category=Category.PROJECT_PLAN, owner=people["organiser"])
        project = make_project(session, unit=child, leader=participant,
                               name=f"Prosjekt {marker}")
        document = attach(session, project, Category.PROJECT_PLAN)
        ids.update(item_id=item.id, number=1, project_id=project.id,
                   document_id=document.id)

        # Admin objects: a role assignment, the participant's token, a job, an e-mail.
        assignment = session.scalar(sa.select(RoleAssignment).where(
            RoleAssignment.user_id == people["hr"].id))
        result = storage / "jobs" / f"matrix-{tag}.zip"
        result.parent.mkdir(parents=True, exist_ok=True)
        result.write_bytes(b"PK\x05\x06" + b"\x00" * 18)
        job = Job(kind="certificates.zip", params={"offering_id": offering.id},
                  created_by_id=people["admin"].id, status="done",
                  result_path=f"jobs/matrix-{tag}.zip", result_name="kursbevis.zip",
                  result_mimetype="application/zip")
        session.add(job)
        email = queue_email(session, recipient=participant.email, subject=f"Emne {marker}",
                            body_text=f"Tekst {marker}", now=now, domain="kurs.example",
                            user_id=participant.id, reason=f"matrix:{tag}")
        session.flush()
        for actor in (*ROLE_ACTORS, "colleague"):
            world.tokens[actor] = make_token(session, people[actor], name=f"matrix {actor}")
        from app.accounts.models import ApiToken

        participant_token = session.scalar(sa.select(ApiToken).where(
            ApiToken.user_id == participant.id))
        ids.update(user_id=participant.id, hr_user_id=people["hr"].id,
                   service_user_id=people["service"].id,
                   assignment_id=assignment.id,
                   token_id=participant_token.id, job_id=job.id, email_id=email.id,
                   digest="0" * 64, fmt="csv")
    session.flush()
    return world


# Quiz attempts must not be finished by a test: keep the type imported for readers.
__all__ = ["ROLE_ACTORS", "Attempt", "CourseSession", "Quiz", "World", "build_world"]
