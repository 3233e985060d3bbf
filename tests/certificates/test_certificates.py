"""Certificates: the frozen PDF, public verification, revoking and reissuing."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.certificates.archive import entry_name, write_zip, zip_bytes
from app.certificates.issuing import CODE_BYTES
from app.certificates.models import Certificate
from app.orm import utcnow
from tests.certificates.helpers import pdf_text
from tests.factories import make_user


def test_the_pdf_is_a4_landscape_and_prints_a_markup_like_name_literally(certify, session,
                                                                        issue_settings):
    _user, _offering, cert = certify(name="<b>&Ø Åsne Hætta",
                                       title="IT i hverdagen")
    data = (issue_settings.storage_dir / cert.pdf_path).read_bytes()
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (842, 595)
    text = pdf_text(data)
    assert "<b>&Ø Åsne Hætta" in text
    for expected in ("KURSBEVIS", "IT i hverdagen", "Serienummer", cert.serial, "Timer",
                     "Gyldig til", f"/verify/{cert.code}"):
        assert expected in text
    assert hashlib.sha256(data).hexdigest() == cert.pdf_sha256


def test_the_certificate_is_in_the_persons_language(certify, session, issue_settings):
    _user, _offering, cert = certify(locale="en")
    text = pdf_text((issue_settings.storage_dir / cert.pdf_path).read_bytes())
    assert "CERTIFICATE" in text and "Valid until" in text and "Kursbevis" not in text


def test_codes_are_unguessable_and_distinct(certify, session, issue_settings):
    codes = {certify()[2].code for _ in range(5)}
    assert len(codes) == 5
    assert all(len(c) >= 22 for c in codes) and CODE_BYTES * 8 >= 128


def test_anyone_can_verify_a_certificate_and_sees_only_name_course_date_issuer_status(certify,
        client, session, issue_settings):
    user, _offering, cert = certify(name="Kari Nordmann")
    page = client.get(f"/verify/{cert.code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Gyldig" in html and "Kari Nordmann" in html and cert.course_title in html
    assert cert.issuer_name in html
    assert user.email not in html and cert.serial not in html
    api = client.get(f"/api/v1/certificates/{cert.code}").get_json()
    assert api["status"] == "valid" and api["name"] == "Kari Nordmann"
    assert set(api) == {"code", "name", "course", "issued_on", "completed_on", "issuer",
                        "status", "expires_on", "revoked_on"}


def test_an_unknown_code_gives_a_plain_not_found(client):
    page = client.get("/verify/ikke-en-ekte-kode")
    assert page.status_code == 404
    assert "Fant ikke noe kursbevis" in page.get_data(as_text=True)
    assert client.get("/api/v1/certificates/ikke-en-ekte-kode").status_code == 404


def test_an_expired_certificate_shows_as_expired(certify, client, session, issue_settings):
    long_ago = utcnow() - timedelta(days=800)
    _user, _offering, cert = certify(validity_months=12,
                                       now=long_ago)
    html = client.get(f"/verify/{cert.code}").get_data(as_text=True)
    assert "Utløpt" in html


def test_an_organiser_revokes_with_a_reason_and_the_verify_page_says_so(certify, web, session,
                                                                        login_as,
                                                                        issue_settings):
    user, offering, cert = certify()
    login_as(make_user(session, org=user.organisation, roles=["organiser"]))
    roster = web.get(f"/kursbevis/tilbud/{offering.id}").get_data(as_text=True)
    assert cert.serial in roster
    web.post(f"/kursbevis/{cert.id}/trekk-tilbake", {"reason": "Utstedt ved en feil"})
    session.refresh(cert)
    assert cert.revoked_at is not None and cert.revoke_reason == "Utstedt ved en feil"
    html = web.get(f"/verify/{cert.code}").get_data(as_text=True)
    assert "Trukket tilbake" in html and "Utstedt ved en feil" not in html


def test_reissuing_replaces_the_certificate_with_a_new_serial_and_code(certify, web, session,
                                                                       login_as,
                                                                       issue_settings):
    user, _offering, cert = certify()
    login_as(make_user(session, org=user.organisation, roles=["organiser"]))
    user.name = "Kari Nordmann Berg"  # the name changed; the new certificate says so
    session.flush()
    web.post(f"/kursbevis/{cert.id}/utsted-pa-nytt")
    session.refresh(cert)
    assert cert.revoked_at is not None
    new = session.scalar(sa.select(Certificate).where(Certificate.replaces_id == cert.id))
    assert new.code != cert.code and new.serial == f"{cert.serial}-2"
    assert new.person_name == "Kari Nordmann Berg"
    # Reissued later, it still carries the day the course was completed.
    assert new.dated == cert.dated == cert.completion.completed_at


def test_an_organiser_of_another_organisation_cannot_revoke(certify, web, session, login_as,
                                                            issue_settings):
    _user, offering, cert = certify()
    login_as(make_user(session, roles=["organiser"]))
    assert web.post(f"/kursbevis/{cert.id}/trekk-tilbake",
                    {"reason": "x"}).status_code == 404
    assert web.get(f"/kursbevis/tilbud/{offering.id}").status_code == 404


def test_the_person_downloads_their_certificate_and_nobody_else_does(certify, web, session,
                                                                     login_as, issue_settings):
    user, _offering, cert = certify()
    login_as(user)
    response = web.get(f"/kursbevis/{cert.id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert hashlib.sha256(response.get_data()).hexdigest() == cert.pdf_sha256
    login_as(make_user(session))
    assert web.get(f"/kursbevis/{cert.id}/pdf").status_code == 404


def test_an_offerings_certificates_download_as_one_zip(certify, web, session, login_as,
                                                       issue_settings):
    user, offering, cert = certify(name="Ørjan Ås")
    login_as(make_user(session, org=user.organisation, roles=["organiser"]))
    response = web.get(f"/kursbevis/tilbud/{offering.id}/kursbevis.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.namelist() == [f"Orjan-As-{cert.serial}.pdf"]
    assert hashlib.sha256(archive.read(archive.namelist()[0])).hexdigest() == cert.pdf_sha256


def test_a_lost_pdf_is_restored_identically_from_the_frozen_texts(app, certify, session,
                                                                  issue_settings,
                                                                  tmp_path):
    _user, _offering, cert = certify()
    (issue_settings.storage_dir / cert.pdf_path).unlink()
    with app.test_request_context():
        write_zip(tmp_path / "all.zip", [cert], issue_settings)
    restored = (issue_settings.storage_dir / cert.pdf_path).read_bytes()
    assert hashlib.sha256(restored).hexdigest() == cert.pdf_sha256


def test_lost_pdfs_are_redrawn_by_two_workers_stored_and_zipped(app, certify,
                                                                issue_settings, tmp_path):
    """The workers store each PDF that matches its hash; the ZIP is made from storage."""
    certs = [certify(name=name)[2] for name in ("Kari Nordmann", "Áile Hætta", "Ola Åsen")]
    for cert in certs:
        (issue_settings.storage_dir / cert.pdf_path).unlink()
    with app.test_request_context():
        write_zip(tmp_path / "all.zip", certs, issue_settings, workers=2)
    entries = zipfile.ZipFile(tmp_path / "all.zip")
    for cert in certs:
        stored = (issue_settings.storage_dir / cert.pdf_path).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == cert.pdf_sha256
        assert entries.read(entry_name(cert)) == stored


def test_a_download_zips_a_lost_pdf_without_storing_it(app, certify, issue_settings):
    """A GET request writes nothing: the redrawn PDF goes into the ZIP only."""
    _user, _offering, cert = certify()
    (issue_settings.storage_dir / cert.pdf_path).unlink()
    with app.test_request_context():
        data = zip_bytes([cert], issue_settings)
    entry = zipfile.ZipFile(io.BytesIO(data)).read(entry_name(cert))
    assert hashlib.sha256(entry).hexdigest() == cert.pdf_sha256
    assert not (issue_settings.storage_dir / cert.pdf_path).exists()


def test_a_large_offerings_zip_is_made_by_a_job_and_fetched_when_done(
        app, certify, web, session, login_as, issue_settings, monkeypatch):
    from app.certificates import archive
    from app.certificates.services import check_completion
    from app.jobs.models import Job, JobStatus
    from app.jobs.services import claim_next, run_job
    from tests.certificates.builders import enrol, mark

    first, offering, cert = certify(name="Kari Nordmann")
    second = make_user(session, name="Ola Åsen", org=first.organisation)
    enrol(session, offering, second)
    for course_session in offering.sessions:
        mark(session, course_session, second)
    with app.test_request_context():
        check_completion(session, user=second, course=offering.course, now=utcnow(),
                         source="attendance", settings=issue_settings)
    certs = archive.offering_certificates(session, offering)
    assert len(certs) == 2
    session.commit()
    monkeypatch.setattr(archive, "INLINE_LIMIT", 1)
    login_as(make_user(session, org=first.organisation, roles=["organiser"]))

    inline = web.get(f"/kursbevis/tilbud/{offering.id}/kursbevis.zip", follow_redirects=True)
    # The message names the button that is on the page.
    assert "Trykk «Lag ZIP-fil med alle»" in inline.get_data(as_text=True)
    assert ">Lag ZIP-fil med alle</button>" in inline.get_data(as_text=True)

    started = web.post(f"/kursbevis/tilbud/{offering.id}/zip", {},
                       page=f"/kursbevis/tilbud/{offering.id}")
    assert started.status_code == 302 and "/jobber/" in started.headers["Location"]
    job = session.scalar(sa.select(Job).where(Job.kind == "certificates.zip"))
    # One PDF lost from storage: the job draws it again in its worker processes.
    (issue_settings.storage_dir / certs[1].pdf_path).unlink()
    with app.app_context():
        claimed = claim_next(session, now=utcnow(), lease=timedelta(minutes=5))
        run_job(session, claimed, storage=issue_settings.storage_dir, now=utcnow)
    session.commit()
    assert claimed.id == job.id and claimed.status == JobStatus.DONE

    download = web.get(f"/jobber/{job.id}/resultat")
    assert download.status_code == 200
    entries = zipfile.ZipFile(io.BytesIO(download.get_data()))
    download.close()
    assert entries.namelist() == [archive.entry_name(c) for c in certs]
    assert [hashlib.sha256(entries.read(archive.entry_name(c))).hexdigest() for c in certs] \
        == [c.pdf_sha256 for c in certs]


def test_a_zip_job_whose_lost_pdf_cannot_be_redrawn_fails_and_leaves_no_archive(
        app, certify, session, issue_settings):
    from types import SimpleNamespace

    from app.certificates import archive
    from app.certificates.archive import CertificateFileError

    _person, offering, cert = certify(name="Kari Nordmann")
    (issue_settings.storage_dir / cert.pdf_path).unlink()
    cert.pdf_sha256 = "0" * 64  # the frozen texts no longer give the recorded bytes
    session.flush()
    job = SimpleNamespace(id=4242, params={"offering_id": offering.id})
    with app.app_context(), pytest.raises(CertificateFileError, match="cannot be restored"):
        archive.zip_job(session, job, issue_settings.storage_dir)
    assert not (issue_settings.storage_dir / "jobs" / "certificates-4242.zip").exists()
    assert not (issue_settings.storage_dir / cert.pdf_path).exists()  # nothing wrong stored
