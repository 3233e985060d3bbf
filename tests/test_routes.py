"""Every route declares a permission, and anonymous visitors and every role get what the
permission table in app.security says."""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from app.security import PERMISSIONS, PUBLIC, route_permission
from tests.factories import make_user

ROLES = ["admin", "organiser", "hr", "editor"]


def all_rules(app):
    return [r for r in app.url_map.iter_rules()]


def test_every_route_declares_a_known_permission(app):
    missing = [r.endpoint for r in all_rules(app) if route_permission(app, r.endpoint) is None]
    assert missing == [], f"routes without @permission(...): {missing}"
    unknown = [
        (r.endpoint, route_permission(app, r.endpoint))
        for r in all_rules(app)
        if route_permission(app, r.endpoint) not in PERMISSIONS
    ]
    assert unknown == []


def _fill(rule) -> str | None:
    """A URL for the rule with every argument set to an id that does not exist."""
    values = {}
    for arg in rule.arguments:
        number = isinstance(rule._converters[arg], IntegerConverter)
        values[arg] = 999999 if number else "finnes-ikke"
    try:
        return rule.build(values, append_unknown=False)[1]
    except Exception:
        return None


def _get_rules(app):
    return [r for r in all_rules(app) if "GET" in r.methods and r.endpoint != "static"]


def test_anonymous_visitors_are_sent_to_login_or_refused(app, client):
    for rule in _get_rules(app):
        url = _fill(rule)
        perm = route_permission(app, rule.endpoint)
        response = client.get(url)
        if perm == PUBLIC:
            assert response.status_code in (200, 404), (url, response.status_code)
        elif url.startswith("/api/"):
            assert response.status_code == 401, url
            assert response.get_json()["code"] == "unauthorized"
        else:
            assert response.status_code == 302, url
            assert "/login?next=" in response.headers["Location"]


@pytest.mark.parametrize("role", [None, *ROLES])
def test_each_role_reaches_exactly_the_pages_its_permissions_allow(app, client, session,
                                                                   login_as, role):
    user = login_as(make_user(session, roles=[role] if role else []))
    for rule in _get_rules(app):
        url = _fill(rule)
        if url.startswith("/api/"):
            continue  # the API ignores the session cookie (tested in tests/api)
        perm = route_permission(app, rule.endpoint)
        holders = PERMISSIONS[perm]
        response = client.get(url)
        if holders is None or user.has_role(*holders):
            # Allowed: the page answers, sends on (never back to login), or the made-up
            # id is not found.
            assert response.status_code in (200, 302, 404), (role, url, response.status_code)
            assert "/login" not in response.headers.get("Location", ""), (role, url)
        else:
            assert response.status_code == 403, (role, url, response.status_code)


def test_state_changing_routes_refuse_a_request_without_csrf_token(app, client, session,
                                                                   login_as):
    login_as(make_user(session, roles=ROLES))
    for rule in all_rules(app):
        unsafe = rule.methods & {"POST", "PUT", "PATCH", "DELETE"}
        url = _fill(rule)
        if not unsafe or url.startswith("/api/"):
            continue
        for method in unsafe:
            response = client.open(url, method=method, data={"x": "1"})
            assert response.status_code == 400, (method, url, response.status_code)
            assert "utløpt" in response.get_data(as_text=True)
