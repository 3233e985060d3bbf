"""The access matrix: every route × anonymous and every role × own object versus another
organisation's object.

Two organisations are built once for the module (``tests.security.world``): A, a
municipality, and B, a county partner, each with one of everything. The actors are
anonymous, a participant (who owns the enrolments, attempts and certificate), the unit
leader above them, an organiser, an HR adviser and an admin of A, and an editor of the
partner B. "own" fills a route's URL with ids of the actor's organisation, "other" with the
other organisation's.

``ACCESS`` below is the one table of what each route allows: endpoint -> rule. A rule says
who gets through with their own organisation's object and who with the other's; everybody
else must be refused (403/404; anonymous visitors are sent to the login page, or get 401
from the API). "Gets through" means any answer but 401/403/404, a 500 or a redirect to the
login page (a 400/409/422 for an empty form is fine: the permission and the object check
let the request in). A route missing from the table fails the suite.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from tests.security.harness import ACTORS, API_BODIES, build_url, leaks, methods_of


@dataclass(frozen=True)
class Rule:
    #: actors that get through with an object of their own organisation
    own: frozenset[str]
    #: actors that get through with an object of the other organisation
    other: frozenset[str] = frozenset()
    #: anonymous visitors are answered (404 for a bad token) instead of sent to log in
    public: bool = False
    #: every actor, anonymous included, ends on the login page (logging out)
    to_login: bool = False


def _who(text: str) -> frozenset[str]:
    return frozenset(text.split()) if text else frozenset()


def _role(text: str) -> Rule:
    """A route without an object: the same answer whichever organisation is asked about."""
    return Rule(_who(text), _who(text))


EVERYONE = "participant leader organiser hr editor admin"
ANYONE = "anonymous " + EVERYONE

#: rule name -> who gets through with own / other organisation's objects.
RULES: dict[str, Rule] = {
    "public": Rule(_who(ANYONE), _who(ANYONE), public=True),
    "public, nothing to find (bad token, SSO off)":
        Rule(frozenset(), public=True),
    "log out": Rule(frozenset(), to_login=True),
    "logged in": Rule(_who(EVERYONE), _who(EVERYONE)),
    "member of the organisation": Rule(_who(EVERYONE)),
    "the person themself": Rule(_who("participant")),
    "the person, or the organisation's organisers and admins":
        Rule(_who("participant organiser admin")),
    "the person, their leader, or the organisation's organisers, HR and admins":
        Rule(_who("participant leader organiser hr admin")),
    "the person's leader, or the organisation's organisers and admins":
        Rule(_who("leader organiser admin")),
    "leaders (their own people)": Rule(_who("leader")),
    "people on the seminar's list and its organisers": Rule(_who("participant organiser")),
    "people on the seminar's list (the token names the seminar)": Rule(_who("participant")),
    "seminar organisers of the organisation": Rule(_who("organiser")),
    "seminar organisers, and HR for people in their scope": Rule(_who("organiser hr")),
    "organisers and admins of the organisation": Rule(_who("organiser admin")),
    "organisers, HR and admins of the organisation": Rule(_who("organiser hr admin")),
    "course managers of the organisation (organiser, editor, admin)":
        Rule(_who("organiser editor admin")),
    "evaluation results of the organisation (organiser, HR, admin)":
        Rule(_who("organiser hr admin")),
    "the IT project's leader, the unit's leader, or the IT service (organiser, admin)":
        Rule(_who("participant leader organiser admin")),
    "editor of the package's organisation": Rule(_who("editor")),
    "editor, packages shared with partners": _role("editor"),
    "admin of the organisation": Rule(_who("admin")),
    "job owner": Rule(_who("admin")),
    "nobody here (a seminar programme on a course package; a document is a link)":
        Rule(frozenset()),
    "nobody here (no HR file was uploaded)": Rule(frozenset()),
    # Routes without an object in the URL (a format is no object): only the role counts.
    "role: admin": _role("admin"),
    "role: HR or admin": _role("hr admin"),
    "HR and admins of the organisation": Rule(_who("hr admin")),
    "role: organiser or admin": _role("organiser admin"),
    "role: organiser, editor or admin": _role("organiser editor admin"),
    "role: organiser, HR, editor or admin": _role("organiser hr editor admin"),
    "role: editor": _role("editor"),
    "role: HR or admin, or a unit leader": _role("leader hr admin"),
    "HR, admins and unit leaders of the organisation": Rule(_who("leader hr admin")),
}

#: endpoint -> rule. Every route of the app must be here.
ACCESS: dict[str, str] = {
    # Public pages and machine endpoints
    "accounts.login": "public",
    "accounts.forgot_password": "public",
    "accounts.set_language": "public",
    "accounts.reset_password": "public, nothing to find (bad token, SSO off)",
    "accounts.sso_login": "public, nothing to find (bad token, SSO off)",
    "accounts.sso_callback": "public, nothing to find (bad token, SSO off)",
    "sharing.open_download": "public, nothing to find (bad token, SSO off)",
    "accounts.logout": "log out",
    "api-docs.openapi_json": "public",
    "api_certificates.show": "public",
    "api_certificates.status": "public",
    "api_certificates.credential": "public",
    "certificates.verify": "public",
    "certificates.jwks_json": "public",
    "home.health": "public",
    "home.privacy": "public",
    "home.accessibility": "public",
    "seminars.checkin_page": "public",
    "sharing.open_catalogue": "public",
    # Anyone logged in, no object of anyone else
    "accounts.profile": "logged in",
    "accounts.change_password": "logged in",
    "accounts.create_token": "logged in",
    "api_me.me": "logged in",
    "api_me.export": "logged in",
    "privacy.my_data": "logged in",
    "api_tokens.list_tokens": "logged in",
    "api_catalogue.list_courses": "logged in",
    "api_catalogue.list_offerings": "logged in",
    "api_packages.list_packages": "role: editor",
    "api_projects.list_projects": "logged in",
    "catalogue.index": "logged in",
    "enrolment.approvals": "logged in",
    "evaluation.mine": "logged in",
    "home.index": "logged in",
    "seminars.index": "logged in",
    "toolbox.index": "logged in",
    "toolbox.projects": "logged in",
    "toolbox.new_project": "logged in",
    "api_packages.download": "editor, packages shared with partners",
    # The organisation's catalogue, courses, offerings, toolbox and projects
    "api_catalogue.get_course": "member of the organisation",
    "api_catalogue.get_offering": "member of the organisation",
    "api_enrolments.enrol": "member of the organisation",
    "api_projects.get_project": "member of the organisation",
    "api_quizzes.show": "member of the organisation",
    "api_quizzes.start": "member of the organisation",
    "catalogue.course": "member of the organisation",
    "catalogue.module": "member of the organisation",
    "catalogue.mark_module_read": "member of the organisation",
    "enrolment.offering": "member of the organisation",
    "enrolment.enrol": "member of the organisation",
    "quizzes.show": "member of the organisation",
    "quizzes.start": "member of the organisation",
    "seminars.programme": "member of the organisation",
    "seminars.save_answers": "member of the organisation",
    "seminars.leave_network": "member of the organisation",
    "sharing.attachment": "member of the organisation",  # linked from the course page
    "toolbox.item": "member of the organisation",
    "toolbox.download": "member of the organisation",
    "toolbox.download_latest": "member of the organisation",
    "toolbox.project": "member of the organisation",
    # One person's own things
    "accounts.revoke_token": "the person themself",
    "api_tokens.revoke_token": "the person themself",
    "api_quizzes.submit": "the person themself",
    "enrolment.calendar": "the person themself",
    "evaluation.answer": "the person themself",
    "quizzes.take": "the person themself",
    "quizzes.answer": "the person themself",
    "quizzes.result": "the person themself",
    "seminars.checkin_confirm": "people on the seminar's list (the token names the seminar)",
    "api_seminars.checkin_with_token":
        "people on the seminar's list (the token names the seminar)",
    "certificates.download": "the person, or the organisation's organisers and admins",
    "api_certificates.pdf": "the person, or the organisation's organisers and admins",
    "enrolment.cancel":
        "the person, their leader, or the organisation's organisers, HR and admins",
    "api_enrolments.cancel":
        "the person, their leader, or the organisation's organisers, HR and admins",
    "enrolment.decide": "the person's leader, or the organisation's organisers and admins",
    "enrolment.approve": "the person's leader, or the organisation's organisers and admins",
    "enrolment.decline": "the person's leader, or the organisation's organisers and admins",
    "enrolment.my_people": "leaders (their own people)",
    # Seminars
    "seminars.network": "people on the seminar's list and its organisers",
    "seminars.join_network": "people on the seminar's list and its organisers",
    "seminars.person": "seminar organisers, and HR for people in their scope",
    "seminars.person_csv": "seminar organisers, and HR for people in their scope",
    "seminars.person_xlsx": "seminar organisers, and HR for people in their scope",
    **{f"seminars.{name}": "seminar organisers of the organisation" for name in (
        "add_participant", "add_walk_in", "decide_walk_in", "grid", "mark", "needs_pdf",
        "projector", "projector_state", "questions", "report", "report_csv", "report_xlsx",
        "rest_absent", "signin_sheet", "summary_pdf")},
    **{f"api_seminars.{name}": "seminar organisers of the organisation" for name in (
        "checkin_token", "list_attendance", "put_attendance", "signin_sheet")},
    # Running offerings and their participants
    **{f"offering_admin.{name}": "organisers and admins of the organisation" for name in (
        "cancel_offering", "copy_offering", "delete_session", "edit_offering", "edit_session",
        "new_offering", "new_session", "offering_status")},
    **{f"participants.{name}": "organisers, HR and admins of the organisation" for name in (
        "bulk_enrol", "cancel", "export_csv", "export_xlsx", "give_seat", "index", "message",
        "no_show", "to_waitlist")},
    # Courses, quizzes, certificates, evaluation
    **{f"course_admin.{name}":
       "course managers of the organisation (organiser, editor, admin)" for name in (
           "course_status", "delete_module", "edit_course", "edit_module", "move_module",
           "new_module")},
    "course_admin.index": "role: organiser, editor or admin",
    "course_admin.new_course": "role: organiser, editor or admin",
    **{f"quizzes.{name}": "course managers of the organisation (organiser, editor, admin)"
       for name in ("create", "delete_question", "edit", "edit_question", "new_question",
                    "preview")},
    "quizzes.index": "role: organiser, editor or admin",
    **{f"certificates.{name}": "organisers and admins of the organisation" for name in (
        "offering", "offering_zip", "offering_zip_job", "reissue", "revoke")},
    "certificates.manage": "role: organiser or admin",
    "certificates.completions": "role: HR or admin",
    "requirements.index": "role: HR or admin",
    "requirements.set_active": "HR and admins of the organisation",
    "certificates.import_csv": "role: HR or admin",
    "certificates.register": "role: HR or admin",
    "evaluation.course_questions": "organisers and admins of the organisation",
    "evaluation.edit_question": "organisers and admins of the organisation",
    "evaluation.retire_question": "organisers and admins of the organisation",
    "evaluation.course_results": "evaluation results of the organisation (organiser, HR, admin)",
    "evaluation.offering_results":
        "evaluation results of the organisation (organiser, HR, admin)",
    "api_evaluation.course_evaluation":
        "evaluation results of the organisation (organiser, HR, admin)",
    "evaluation.results": "role: organiser, HR, editor or admin",
    "evaluation.shared_results": "role: organiser, HR, editor or admin",
    "evaluation.export_csv": "role: organiser, HR, editor or admin",
    "evaluation.export_xlsx": "role: organiser, HR, editor or admin",
    # Sharing and authoring packages
    **{f"authoring.{name}": "editor of the package's organisation" for name in (
        "attachment_add", "attachment_delete", "attachment_download", "details", "edit",
        "module", "module_delete", "module_move", "publish", "quiz")},
    "authoring.program":
        "nobody here (a seminar programme on a course package; a document is a link)",
    "authoring.new_package": "role: editor",
    "sharing.catalogue": "role: editor",
    "sharing.upload": "role: editor",
    "sharing.preview": "role: editor",
    "api_packages.upload": "role: editor",
    "sharing.fork": "editor of the package's organisation",
    "sharing.set_scope": "editor of the package's organisation",
    "sharing.update": "editor of the package's organisation",
    "sharing.package": "editor, packages shared with partners",
    "sharing.download": "editor, packages shared with partners",
    "sharing.import_version": "editor, packages shared with partners",
    # Toolbox and IT project register
    "toolbox.edit_item": "organisers and admins of the organisation",
    "toolbox.new_version": "organisers and admins of the organisation",
    "toolbox.assign_representative": "organisers and admins of the organisation",
    "toolbox.new_item": "role: organiser or admin",
    "toolbox.governance_view": "role: organiser or admin",
    "toolbox.governance_csv": "role: organiser or admin",
    "toolbox.governance_xlsx": "role: organiser or admin",
    "toolbox.governance_rules": "role: organiser or admin",
    **{f"toolbox.{name}":
       "the IT project's leader, the unit's leader, or the IT service (organiser, admin)"
       for name in ("edit_project", "new_document", "edit_document", "remove_document")},
    "toolbox.document_file":
        "nobody here (a seminar programme on a course package; a document is a link)",
    # Competence reports (a leader sees their own units)
    **{f"reports.{name}": "role: HR or admin, or a unit leader" for name in (
        "index", "coverage", "evaluations", "gaps", "methodology", "trend", "expiry", "remind",
        "export")},
    "reports.people": "HR, admins and unit leaders of the organisation",
    "api_reports.competence": "role: HR or admin, or a unit leader",
    "api_reports.gaps": "role: HR or admin, or a unit leader",
    # Administration
    **{f"accounts_admin.{name}": "admin of the organisation" for name in (
        "create_token", "deactivate", "grant_role", "hr_apply", "hr_current", "person",
        "reactivate", "revoke_role", "revoke_token")},
    "privacy.anonymise": "admin of the organisation",
    "accounts_admin.hr_preview": "nobody here (no HR file was uploaded)",
    **{f"accounts_admin.{name}": "role: admin" for name in (
        "audit_log", "create_service_account", "hr_upload", "hr_upload_post", "people",
        "service_accounts", "units")},
    "outbox.index": "role: admin",
    "outbox.retry": "admin of the organisation",
    "jobs.admin_index": "role: admin",
    "jobs.show": "job owner",
    "jobs.result": "job owner",
}

#: Served by Flask itself; the security header tests cover it.
NOT_IN_MATRIX = {"static"}


def expected(rule: Rule, actor: str, side: str) -> str:
    if rule.to_login:
        return "login"
    allowed = rule.own if side == "own" else rule.other
    if actor in allowed:
        return "through"
    if actor == "anonymous" and not rule.public:
        return "login"
    return "refused"


def outcome(response) -> str:
    status = response.status_code
    if status == 401 or (status == 302 and "/login" in response.headers.get("Location", "")):
        return "login"
    if status in (403, 404):
        return "refused"
    if status >= 500 or status == 429:
        return f"error {status}"
    return "through"


def test_every_route_has_an_entry_in_the_access_table(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules()} - NOT_IN_MATRIX
    missing = sorted(endpoints - ACCESS.keys())
    assert not missing, (
        "routes without an entry in tests/security/test_access_matrix.py ACCESS: "
        f"{missing}. Add each with the rule saying who may use it (see RULES)."
    )
    stale = sorted(ACCESS.keys() - endpoints)
    assert not stale, f"ACCESS names routes that no longer exist: {stale}"
    unknown = sorted({rule for rule in ACCESS.values()} - RULES.keys())
    assert not unknown, f"ACCESS uses rules missing from RULES: {unknown}"
    all_cells = list(cells(app))
    pairs = {(rule.rule, method) for rule, method, _side in all_cells}
    by_method = {m: sum(1 for _r, meth, _s in all_cells if meth == m)
                 for m in sorted({meth for _r, meth, _s in all_cells})}
    print(f"\naccess matrix: {len(endpoints)} endpoints, {len(pairs)} route x method pairs, "
          f"{len(all_cells)} cells (own and other object) x {len(ACTORS)} actors = "
          f"{len(all_cells) * len(ACTORS)} requests; per actor {by_method}")


def cells(app):
    """(endpoint, method, rule, side) for every route of the app."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        if rule.endpoint in NOT_IN_MATRIX or rule.endpoint not in ACCESS:
            continue
        for method in methods_of(rule):
            for side in ("own", "other") if rule.arguments else ("own",):
                yield rule, method, side


MEASURED: dict[str, float] = {}


@pytest.mark.parametrize("actor", ACTORS)
def test_each_actor_gets_exactly_what_the_access_table_says(app, shared, actor):
    started = time.perf_counter()
    wrong, count = [], 0
    for rule, method, side in cells(app):
        world = shared.world_of(actor) if side == "own" else shared.other_world_of(actor)
        url = build_url(rule, world.ids)
        body = API_BODIES.get(rule.endpoint)
        response = shared.request(actor, method, url, json=body(world.ids) if body else None)
        count += 1
        want = expected(RULES[ACCESS[rule.endpoint]], actor, side)
        got = outcome(response)
        if side == "own" and method == "GET" and got == "through" and \
                leaks(rule.endpoint, response, shared.other_world_of(actor).marker):
            wrong.append(f"GET {url} ({rule.endpoint}) shows the other organisation's rows")
        if got != want:
            wrong.append(f"{method} {url} ({rule.endpoint}, {side} object): expected {want}, "
                         f"got {got} [{response.status_code}]")
    MEASURED[actor] = time.perf_counter() - started
    print(f"\naccess matrix, {actor}: {count} requests in {MEASURED[actor]:.1f} s, "
          f"{len(wrong)} differ from ACCESS")
    assert not wrong, f"{actor}: {len(wrong)} of {count} cells differ from ACCESS:\n" + \
        "\n".join(wrong)
