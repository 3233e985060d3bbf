"""Importing, updating, forking and exporting packages: the rules of issue 7 as services."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts.models import Organisation
from app.catalogue.models import Course, Module, ModuleRead, Requirement
from app.enrolment.models import Enrolment
from app.errors import ConflictError, DomainError, ForbiddenError
from app.orm import utcnow
from app.quizzes.models import Quiz
from app.sharing import services
from app.sharing.apply import course_package
from app.sharing.canonical import canonical_zip
from app.sharing.models import Package, PackageVersion, SharingScope
from app.sharing.package import load_package
from app.sharing.problems import PackageError
from tests.factories import make_user
from tests.sharing.builders import manifest, package_files, zip_of
from tests.sharing.conftest import KURS
from tests.sharing.helpers import county_zip, editor, enrol

PACKAGES = sorted(p.name for p in KURS.iterdir() if (p / "kurs.toml").is_file())


def count(session, model) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("name", PACKAGES)
def test_every_package_in_kurs_parses_and_imports_into_an_empty_database(session, store, name):
    received = services.import_path(session, path=KURS / name, store=store, now=utcnow())
    package = load_package(KURS / name)
    course = received.course
    assert received.course_action == "created" and received.new_version
    assert course.slug == package.manifest.slug
    assert course.organisation.slug == package.manifest.publisher.slug
    assert [m.title for m in course.modules] == [m.title for m in package.modules]
    assert course.source_package_uid == package.manifest.uid
    assert course.source_version == package.manifest.version
    quiz = session.scalar(sa.select(Quiz).where(Quiz.course_id == course.id))
    assert (quiz is not None) == (package.quiz is not None)
    if quiz is not None:
        assert [q.source_key for q in quiz.questions] == [q.id for q in package.quiz.questions]


def test_the_curriculum_has_what_the_issue_asks_for():
    leaders = load_package(KURS / "it-i-hverdagen")
    assert len(leaders.modules) >= 6 and len(leaders.quiz.questions) >= 15
    assert leaders.manifest.completion.quiz and leaders.manifest.completion.attendance
    seminar = load_package(KURS / "prosjektledersamling")
    assert seminar.manifest.kind == "seminar" and seminar.program.days == 2
    texts = " ".join(m.body for m in seminar.modules).lower()
    for topic in ("prosjektveiviseren", "gevinstrealiseringsplan", "nullalternativ",
                  "4 prosent", "risikomatrise", "dpia"):
        assert topic in texts, topic
    assert seminar.quiz is not None and not seminar.manifest.completion.quiz
    for package in (leaders, seminar):
        assert all("## Lær mer" in m.body for m in package.modules)


def test_the_imported_demo_courses_have_exactly_the_catalogues_slugs(session, store):
    for name in ("it-i-hverdagen", "prosjektledersamling"):
        services.import_path(session, path=KURS / name, store=store, now=utcnow())
    assert set(session.scalars(sa.select(Course.slug))) == {"it-i-hverdagen",
                                                             "prosjektledersamling"}


def test_a_second_import_of_the_same_version_changes_nothing(session, store):
    first = services.import_path(session, path=KURS / "it-i-hverdagen", store=store,
                                 now=utcnow())
    counts = [count(session, m) for m in (Course, Module, PackageVersion, Requirement)]
    module_ids = [m.id for m in first.course.modules]
    again = services.import_path(session, path=KURS / "it-i-hverdagen", store=store,
                                 now=utcnow())
    assert (again.new_version, again.course_action) == (False, "unchanged")
    assert [count(session, m) for m in (Course, Module, PackageVersion, Requirement)] == counts
    assert [m.id for m in again.course.modules] == module_ids


def test_mandatory_for_prefills_requirements_once(session, store):
    received = services.import_path(session, path=KURS / "it-i-hverdagen", store=store,
                                    now=utcnow())
    levels = set(session.scalars(sa.select(Requirement.leader_level)
                                 .where(Requirement.course_id == received.course.id)))
    assert levels == {"mellomleder", "forstelinjeleder"}


def upload(session, store, actor, data, **kw):
    return services.upload_package(session, actor=actor, data=data, store=store,
                                   now=utcnow(), **kw)


def test_a_newer_version_updates_the_course_and_keeps_enrolments_and_progress(session, store):
    trondheim = editor(session, slug="trondheim")
    first = upload(session, store, trondheim, county_zip("1.0.0"))
    course = first.course
    learner = make_user(session, org=trondheim.organisation)
    enrolment = enrol(session, course, learner)
    kept = course.modules[0]
    session.add(ModuleRead(user_id=learner.id, module_id=kept.id))
    session.flush()

    changed = manifest(version="1.1.0", title="Digital dugnad i Trøndelag")
    files = package_files(manifest_doc=changed)
    files["moduler/01-hva.md"] = b"Digital dugnad er et felles loeft.\n\nNy avsnitt.\n"
    second = upload(session, store, trondheim, zip_of(files))

    assert second.course.id == course.id and second.course_action == "updated"
    assert course.title == "Digital dugnad i Trøndelag" and course.source_version == "1.1.0"
    assert course.modules[0].id == kept.id and "Ny avsnitt" in course.modules[0].body
    assert session.get(Enrolment, enrolment.id) is not None
    assert count(session, ModuleRead) == 1


def test_an_older_version_is_refused(session, store):
    trondheim = editor(session, slug="trondheim")
    upload(session, store, trondheim, county_zip("1.2.0"))
    with pytest.raises(ConflictError) as caught:
        upload(session, store, trondheim, county_zip("1.1.9"))
    assert caught.value.code == "version_older"


def test_the_same_version_with_other_content_is_refused(session, store):
    trondheim = editor(session, slug="trondheim")
    upload(session, store, trondheim, county_zip("1.0.0"))
    with pytest.raises(ConflictError) as caught:
        upload(session, store, trondheim, county_zip("1.0.0", title="Noe annet"))
    assert caught.value.code == "version_exists"


def test_importing_an_unknown_publishers_package_creates_the_organisation_and_a_copy(session,
                                                                                     store):
    trondheim = editor(session, slug="trondheim")
    received = upload(session, store, trondheim, county_zip())
    county = session.scalar(sa.select(Organisation).where(Organisation.slug == "test-fylke"))
    assert county is not None and county.name == "Testfylket"
    assert received.package.publisher_organisation_id == county.id
    assert received.course.organisation_id == trondheim.organisation_id
    assert services.is_read_only(session, received.course)


def test_a_uid_belongs_to_the_organisation_that_first_published_it(session, store):
    owner = editor(session, slug="test-fylke", kind="county")
    upload(session, store, owner, county_zip())
    intruder = editor(session, slug="annen-kommune")
    claimed = manifest(version="2.0.0", publisher={"slug": "annen-kommune",
                                                   "name": "Annen kommune",
                                                   "kind": "municipality"})
    with pytest.raises(ForbiddenError) as caught:
        upload(session, store, intruder, zip_of(package_files(manifest_doc=claimed)))
    assert caught.value.code == "package_owned_by_other"
    with pytest.raises(ForbiddenError) as caught:
        upload(session, store, intruder, county_zip("2.0.0"))
    assert caught.value.code == "package_not_yours"


def test_a_hostile_or_invalid_archive_writes_nothing(session, store, tmp_path):
    actor = editor(session, slug="trondheim")
    before = [count(session, m) for m in (Package, PackageVersion, Course, Organisation)]
    bad = package_files()
    bad["moduler/02-hvordan.md"] = b"\xff\xfe"
    for data in (zip_of(bad), b"PK\x03\x04 broken", zip_of({"../evil": b"x"}, top=None)):
        with pytest.raises(PackageError):
            upload(session, store, actor, data)
    assert [count(session, m) for m in (Package, PackageVersion, Course, Organisation)] == before
    assert not store.root.exists()


def test_a_partner_imports_from_the_catalogue_and_updates_after_seeing_the_diff(session, store):
    county = editor(session, slug="test-fylke", kind="county")
    published = upload(session, store, county, county_zip(), scope=SharingScope.PARTNERS)
    trondheim = editor(session, slug="trondheim")
    imported = services.import_version(session, actor=trondheim, version=published.version,
                                       store=store, now=utcnow())
    copy = imported.course
    assert copy.organisation_id == trondheim.organisation_id
    assert copy.slug == "digital-dugnad-trondheim"
    assert services.pending_update(session, course=copy, store=store) is None

    files = package_files(manifest_doc=manifest(version="1.1.0"))
    files["moduler/02-hvordan.md"] = b"Vi publiserer kurs som pakker.\n\nOg vi deler dem.\n"
    upload(session, store, county, zip_of(files))
    update = services.pending_update(session, course=copy, store=store)
    assert (update.current.version, update.latest.version) == ("1.0.0", "1.1.0")
    (change,) = update.changes
    assert (change.area, change.kind, change.label) == ("module", "changed", "Slik deler vi")
    assert ("+", "Og vi deler dem.") in [(line.mark, line.text) for line in change.lines]

    learner = make_user(session, org=trondheim.organisation)
    enrolment = enrol(session, copy, learner)
    services.update_course(session, actor=trondheim, course=copy, to_version="1.1.0",
                           store=store, now=utcnow())
    assert copy.source_version == "1.1.0"
    assert session.get(Enrolment, enrolment.id).status == "enrolled"


def test_a_package_shared_only_with_its_own_organisation_is_invisible_to_partners(session,
                                                                                  store):
    county = editor(session, slug="test-fylke", kind="county")
    own = upload(session, store, county, county_zip())
    trondheim = editor(session, slug="trondheim")
    with pytest.raises(DomainError) as caught:
        services.import_version(session, actor=trondheim, version=own.version, store=store,
                                now=utcnow())
    assert caught.value.status == 404


def test_a_forked_course_gets_a_new_uid_becomes_editable_and_keeps_its_enrolments(session,
                                                                                   store):
    trondheim = editor(session, slug="trondheim")
    copy = upload(session, store, trondheim, county_zip()).course
    learner = make_user(session, org=trondheim.organisation)
    enrolment = enrol(session, copy, learner)
    forked = services.fork_course(session, actor=trondheim, course=copy, store=store,
                                  now=utcnow())
    assert forked.uid == "no.trondheim.digital-dugnad"
    assert forked.forked_from_uid == "no.test.digital-dugnad"
    assert copy.source_package_uid == forked.uid and copy.source_version is None
    assert not services.is_read_only(session, copy)
    assert session.get(Enrolment, enrolment.id) is not None


def test_a_no_derivatives_licence_cannot_be_forked(session, store):
    trondheim = editor(session, slug="trondheim")
    copy = upload(session, store, trondheim, county_zip(licence="CC-BY-ND-4.0")).course
    with pytest.raises(DomainError) as caught:
        services.fork_course(session, actor=trondheim, course=copy, store=store, now=utcnow())
    assert caught.value.code == "licence_forbids_fork"


def test_export_gives_the_stored_canonical_bytes_and_reimports_unchanged(session, store):
    received = services.import_path(session, path=KURS / "prosjektledersamling", store=store,
                                    now=utcnow())
    exported = services.export_course(session, course=received.course, store=store)
    assert exported == store.read(received.version.storage_key)
    assert canonical_zip(load_package(exported)) == exported
    assert course_package(session, received.course, store).attachments[0].data.startswith(
        b"<?xml")


def test_two_editors_saving_the_same_draft_revision_at_once_give_one_conflict(session, store):
    from sqlalchemy.orm import Session as OrmSession

    from app.sharing import drafts
    from app.sharing.models import PackageDraft

    county = editor(session, slug="test-fylke", kind="county")
    course = upload(session, store, county, county_zip()).course
    draft = drafts.current_draft(session, course=course, store=store)
    drafts.save_module(session, actor=county, draft=draft, revision=0, name="01-hva.md",
                       title="Hva", minutes=5, body="Første.", now=utcnow())
    other = OrmSession(bind=session.connection(), join_transaction_mode="create_savepoint")
    theirs = other.get(PackageDraft, draft.id)
    mine = draft
    drafts.save_module(session, actor=county, draft=mine, revision=1, name="01-hva.md",
                       title="Hva", minutes=5, body="Min tekst.", now=utcnow())
    with pytest.raises(ConflictError) as caught:
        drafts.save_module(other, actor=other.merge(county), draft=theirs, revision=1,
                           name="01-hva.md", title="Hva", minutes=5, body="Deres tekst.",
                           now=utcnow())
    assert caught.value.code == "draft_changed"
    other.close()
