"""Ids of the other organisation inside form and API bodies.

The matrix swaps the ids in URLs. Here the URL names the actor's own object, and the body
names a person, unit or course of the other organisation: enrol them, mark them present,
register their completion, give a role in their unit, make them a project's leader, remind
them. Each is refused, and nothing about the other organisation's rows is written.

Not here, by design (docs: design.md, "Organisers may enrol anyone in any offering"): an
organiser enrolling a partner's employee in their own offering, or taking them in as a
walk-in at their own seminar. Partners attend each other's gatherings.
"""

from __future__ import annotations

from tests.security.test_csrf_and_safe_methods import WriteWatch

#: Rows a refused request may still leave: the audit trail of the attempt, the access log.
MAY_CHANGE = {"audit_event", "access_log", "access_log_subject"}


def cases(own, other):
    """(actor, method, url, body, is_json) with own ids in the URL, other's in the body."""
    o, x = own.ids, other.ids
    person = other.people["participant"]
    return [
        ("organiser", "PUT", f"/api/v1/sessions/{o['seminar_session_id']}/attendance",
         [{"user_id": x["user_id"], "status": "present"}], True),
        ("organiser", "POST", f"/samlinger/okter/{o['seminar_session_id']}/oppmote",
         {"mark": f"user:{x['user_id']}:present:0"}, False),
        ("hr", "POST", f"/forvaltning/tilbud/{o['offering_id']}/masseinnmelding",
         {"identifiers": person.email, "confirm": "1"}, False),
        ("leader", "POST", f"/tilbud/{o['offering_id']}/medarbeidere",
         {"person": str(x["user_id"])}, False),
        ("hr", "POST", "/fullforinger/registrer",
         {"person": person.email, "course": o["slug"], "completed_on": "2026-01-05",
          "evidence": "Kurs hos partner"}, False),
        ("hr", "POST", "/fullforinger/registrer",
         {"person": own.people["participant"].email, "course": x["slug"],
          "completed_on": "2026-01-05", "evidence": "Kurs hos partner"}, False),
        ("admin", "POST", f"/admin/personer/{o['user_id']}/roller",
         {"role": "hr", "unit_code": other.ids.get("unit_code", "BA")}, False),
        ("participant", "POST", "/prosjekter/ny",
         {"name": "Prosjekt", "unit_id": str(x["unit_id"]), "phase": "planning",
          "leader_email": own.people["participant"].email}, False),
        ("participant", "POST", "/prosjekter/ny",
         {"name": "Prosjekt", "unit_id": str(o["unit_id"]), "phase": "planning",
          "leader_email": person.email}, False),
        ("hr", "POST", "/rapporter/mangler/paminnelse",
         {"person": str(x["user_id"]), "course": str(x["course_id"])}, False),
    ]


def test_ids_of_the_other_organisation_in_a_body_change_nothing(app, shared):
    findings = []
    watch = WriteWatch(shared.connection)
    for actor in ("organiser", "hr", "leader", "admin", "participant"):
        own, other = shared.world_of(actor), shared.other_world_of(actor)
        for who, method, url, body, is_json in cases(own, other):
            if who != actor:
                continue
            kwargs = {"json": body} if is_json else {"data": body}
            response = shared.request(actor, method, url, around=watch, **kwargs)
            changed = {t: v for t, v in watch.changed().items() if t not in MAY_CHANGE}
            if response.status_code >= 500 or changed:
                findings.append(f"{method} {url} as {actor} with {body}: "
                                f"{response.status_code}, wrote {changed}")
    assert not findings, "\n".join(findings)


def test_the_check_sees_a_write_when_there_is_one(app, shared):
    """Control: the same kind of request with the organisation's own people does write."""
    watch = WriteWatch(shared.connection)
    own = shared.world_of("hr")
    response = shared.request("hr", "POST", "/fullforinger/registrer", around=watch, data={
        "person": own.people["colleague"].email, "course": own.ids["slug"],
        "completed_on": "2026-01-05", "evidence": "Kurs hos partner"})
    assert response.status_code == 302
    assert "completion" in watch.changed()
