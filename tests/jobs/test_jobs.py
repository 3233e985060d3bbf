"""Long work through the job queue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.jobs import services
from app.jobs.models import JobStatus
from app.jobs.services import JobResult, claim_next, enqueue, run_job
from app.orm import utcnow
from tests.factories import make_user


@pytest.fixture
def report_handler():
    calls = []

    @services.handler("test.report")
    def build(session, job, storage):
        calls.append(job.id)
        if job.params.get("fail"):
            raise ValueError("the export failed")
        (storage / f"report-{job.id}.csv").write_text("unit;count\nIT;3\n")
        return JobResult(path=f"report-{job.id}.csv", name="rapport.csv", mimetype="text/csv")

    yield calls
    services.HANDLERS.pop("test.report", None)


def test_a_job_runs_and_its_owner_downloads_the_result(app, web, session, login_as,
                                                       report_handler, tmp_path):
    owner = login_as(make_user(session))
    job = enqueue(session, kind="test.report", params={}, actor=owner, now=utcnow())
    session.commit()
    claimed = claim_next(session, now=utcnow(), lease=timedelta(minutes=5))
    storage = tmp_path
    run_job(session, claimed, storage=storage, now=utcnow)
    session.commit()
    assert claimed.status == JobStatus.DONE

    app.config["KURS_STORAGE_DIR"], old = str(storage), app.config["KURS_STORAGE_DIR"]
    try:
        page = web.get(f"/jobber/{job.id}").get_data(as_text=True)
        assert "rapport.csv" in page
        download = web.get(f"/jobber/{job.id}/resultat")
        assert download.status_code == 200
        assert download.get_data(as_text=True).startswith("unit;count")
        assert "attachment" in download.headers["Content-Disposition"]
        download.close()
    finally:
        app.config["KURS_STORAGE_DIR"] = old


def test_another_person_cannot_see_or_fetch_the_job(web, session, login_as, report_handler):
    owner = make_user(session)
    job = enqueue(session, kind="test.report", params={}, actor=owner, now=utcnow())
    login_as(make_user(session))
    assert web.get(f"/jobber/{job.id}").status_code == 404
    assert web.get(f"/jobber/{job.id}/resultat").status_code == 404


def test_a_failing_job_is_retried_then_marked_failed(session, report_handler, tmp_path):
    job = enqueue(session, kind="test.report", params={"fail": True}, actor=None, now=utcnow())
    session.commit()
    for _ in range(services.MAX_ATTEMPTS):
        claimed = claim_next(session, now=utcnow(), lease=timedelta(minutes=5))
        assert claimed is not None and claimed.id == job.id
        run_job(session, claimed, storage=tmp_path, now=utcnow)
        session.commit()
    session.refresh(job)
    assert job.status == JobStatus.FAILED
    assert "the export failed" in job.error
    assert claim_next(session, now=utcnow(), lease=timedelta(minutes=5)) is None


def test_a_job_whose_runner_died_is_taken_over_after_the_lease(session, report_handler):
    enqueue(session, kind="test.report", params={}, actor=None, now=utcnow())
    now = utcnow()
    first = claim_next(session, now=now, lease=timedelta(minutes=5))
    assert first is not None
    assert claim_next(session, now=now + timedelta(minutes=1), lease=timedelta(minutes=5)) is None
    again = claim_next(session, now=now + timedelta(minutes=6), lease=timedelta(minutes=5))
    assert again is not None and again.id == first.id
    assert again.attempts == 2


def test_jobs_run_once_works_through_the_queue(runner, session, report_handler):
    enqueue(session, kind="test.report", params={}, actor=None, now=utcnow())
    session.commit()
    result = runner.invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "1 job(s) run" in result.output
    assert len(report_handler) == 1
