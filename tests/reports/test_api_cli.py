"""The report through the JSON API and the command line: the same numbers, the same
reach, the same access log."""

from __future__ import annotations

import io
import json

import sqlalchemy as sa
from openpyxl import load_workbook

from app.orm import utcnow
from app.privacy.models import AccessLog
from tests.factories import make_token
from tests.reports.builders import complete, make_world


def _auth(session, user):
    return {"Authorization": f"Bearer {make_token(session, user)}"}


def test_competence_rows_have_no_names_and_follow_the_reach(session, client):
    world = make_world(session)
    complete(session, world.leaders[1], world.course, at=utcnow())
    response = client.get("/api/v1/reports/competence", headers=_auth(session, world.hr))
    assert response.status_code == 200
    rows = response.get_json()
    top = next(r for r in rows if r["unit"] == "Helse og velferd")
    assert (top["course"], top["required"], top["completed"], top["percent"]) == (
        "IT i hverdagen", 3, 1, 33)
    assert set(rows[0]) == {"unit", "unit_code", "unit_id", "depth", "course", "course_slug",
                            "required", "completed", "percent"}
    assert json.loads(response.headers["X-Pagination"])["total"] == len(rows)
    led = client.get(f"/api/v1/reports/competence?unit={world.units[1].id}",
                     headers=_auth(session, world.leaders[1])).get_json()
    assert led == []
    assert client.get("/api/v1/reports/competence?level=keiser",
                      headers=_auth(session, world.hr)).get_json()["code"] == "bad_filter"


def test_competence_and_gaps_are_paged_by_page_and_per_page(session, client):
    world = make_world(session)
    auth = _auth(session, world.hr)
    everything = client.get("/api/v1/reports/competence?per_page=500", headers=auth)
    rows = everything.get_json()
    assert len(rows) == 3  # the sector and its two units, one course
    second = client.get("/api/v1/reports/competence?per_page=2&page=2", headers=auth)
    assert second.get_json() == rows[2:]
    assert json.loads(second.headers["X-Pagination"]) == {
        "total": 3, "total_pages": 2, "first_page": 1, "last_page": 2, "page": 2,
        "previous_page": 1}
    gaps = client.get("/api/v1/reports/gaps?per_page=1", headers=auth)
    assert len(gaps.get_json()) == 1
    assert json.loads(gaps.headers["X-Pagination"])["total"] == 3
    for bad in ("per_page=501", "per_page=0", "page=0", "per_page=x"):
        response = client.get(f"/api/v1/reports/competence?{bad}", headers=auth)
        assert response.status_code == 422 and response.get_json()["code"], bad


def test_competence_as_csv_when_asked(session, client):
    world = make_world(session)
    response = client.get("/api/v1/reports/competence", headers={
        **_auth(session, world.hr), "Accept": "text/csv"})
    assert response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert "Helse og velferd;" in response.data.decode("utf-8-sig")
    assert response.headers["Cache-Control"] == "no-store"


def test_a_participant_gets_403_and_gaps_name_people_for_hr(session, client):
    world = make_world(session)
    denied = client.get("/api/v1/reports/competence", headers=_auth(session, world.staff[0]))
    assert denied.status_code == 403 and denied.get_json()["code"]
    gaps = client.get("/api/v1/reports/gaps", headers=_auth(session, world.hr)).get_json()
    assert {g["name"] for g in gaps} == {"Toppleder Tora", "Leder 1", "Leder 2"}
    assert session.scalars(sa.select(AccessLog.kind).order_by(AccessLog.id.desc())).first() \
        == "reports.api.gaps"


def test_flask_report_competence_writes_the_file(session, runner, tmp_path):
    world = make_world(session)
    target = tmp_path / "rapport.xlsx"
    result = runner.invoke(args=["report", "competence", "--format", "xlsx", "-o", str(target),
                                 "--organisation", world.org.slug])
    assert result.exit_code == 0, result.output
    book = load_workbook(io.BytesIO(target.read_bytes()))
    assert "Dekning" in book.sheetnames
    assert any(r[0] == "Helse og velferd" for r in book["Dekning"].iter_rows(values_only=True))
    csv_target = tmp_path / "rapport.csv"
    result = runner.invoke(args=["report", "competence", "--format", "csv", "-o",
                                 str(csv_target), "--as", world.leaders[1].email])
    assert result.exit_code == 0, result.output
    text = csv_target.read_text(encoding="utf-8-sig")
    assert "Enhet 1;" in text and "Enhet 2" not in text
