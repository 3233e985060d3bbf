"""Scope in the queries: nobody sees the other organisation's rows, whatever they ask for.

Every name in organisation A's world carries "ZqAMarker", every name in B's "ZqBMarker"
(tests.security.world). Every GET page, file and API answer is read as each actor the
access table lets through (participant, leader, organiser, HR and admin of A; the partner
editor of B), and the list pages, searches, reports and exports again with filters,
searches and sort keys that name the other organisation's ids and words. The text of the
answer (HTML, JSON, CSV, the cells of an XLSX, the text of a PDF, the names inside a ZIP)
never contains the other organisation's marker. (The matrix in test_access_matrix.py reads
every GET answer without filters the same way, with ``leaks()`` from tests.security.harness.)

The exception is what partners share on purpose: course packages published to partners
(titles, publisher, versions) and the evaluation results of one's own packages taught by
the partners.
"""

from __future__ import annotations

from urllib.parse import urlencode

from tests.security.harness import (
    ACTORS,
    SHARED_WITH_PARTNERS,
    build_url,
    methods_of,
    readable,
)
from tests.security.test_access_matrix import ACCESS, NOT_IN_MATRIX, RULES


def hostile_queries(other) -> list[dict[str, str]]:
    """Filters, searches and sort keys naming the other organisation's rows."""
    ids = other.ids
    return [
        {"organisasjon": ids["organisation_id"], "organisation": ids["organisation_id"],
         "enhet": ids["unit_id"], "unit": ids["unit_id"], "kurs": ids["slug"],
         "course": ids["slug"], "offering": ids["offering_id"], "user_id": ids["user_id"],
         "person": ids["user_id"]},
        # A part of the marker: it finds the rows, and the search box echoing it back is
        # not a leak.
        {"q": other.marker[1:-1], "finn": other.marker[1:-1],
         "actor": other.people["admin"].email,
         "object_id": ids["user_id"]},
        {"sort": "name", "order": "desc", "page": "1", "per_page": "500", "status": "all",
         "avsluttede": "1", "periode": "all", "del": "all"},
    ]


def through(endpoint: str) -> list[str]:
    rule = RULES[ACCESS[endpoint]]
    return [actor for actor in ACTORS if actor in rule.own and actor != "anonymous"]


def get_routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        if rule.endpoint in NOT_IN_MATRIX or rule.endpoint in SHARED_WITH_PARTNERS:
            continue
        if "GET" in methods_of(rule):
            yield rule


def is_list(rule) -> bool:
    """A page that lists, searches, reports or exports (no object of its own)."""
    return not (set(rule.arguments) - {"fmt"})


def test_no_filter_search_or_sort_key_shows_the_other_organisations_rows(app, shared):
    leaks, checked = [], 0
    for rule in get_routes(app):
        if not is_list(rule):
            continue
        for actor in through(rule.endpoint):
            own, other = shared.world_of(actor), shared.other_world_of(actor)
            url = build_url(rule, own.ids)
            for query in (urlencode(q) for q in hostile_queries(other)):
                full = f"{url}?{query}"
                response = shared.request(actor, "GET", full)
                checked += 1
                assert response.status_code < 500, (actor, full, response.status_code)
                if other.marker in readable(response):
                    leaks.append(f"{actor}: GET {full} ({rule.endpoint})")
    print(f"\nscope: {checked} GETs with filters, searches and sort keys naming the other "
          f"organisation, {len(leaks)} showed its rows")
    assert checked > 200
    assert not leaks, "the other organisation's rows are shown:\n" + "\n".join(leaks)


def test_the_marker_check_sees_rows_when_they_are_there(app, shared):
    """The check above would see a leak: each organisation's own pages show its marker,
    in HTML, an XLSX export, a PDF and the API."""
    world = shared.world_of("organiser")
    seen = {}
    part = world.marker[1:-1]
    for actor, url in (("admin", f"/admin/personer?q={part}"),
                       ("participant", f"/kurs?q={part}")):
        seen[url] = world.marker in readable(shared.request(actor, "GET", url))
    for url in (f"/forvaltning/tilbud/{world.ids['offering_id']}/deltakere.xlsx",
                f"/samlinger/okter/{world.ids['seminar_session_id']}/signaturliste.pdf",
                f"/forvaltning/tilbud/{world.ids['offering_id']}/deltakere",
                f"/api/v1/offerings/{world.ids['offering_id']}"):
        seen[url] = world.marker in readable(shared.request("organiser", "GET", url))
    assert all(seen.values()), seen


def test_partners_see_shared_packages_but_nothing_else_of_the_publisher(app, shared):
    editor_b = "editor"
    world_a = shared.other_world_of(editor_b)
    page = readable(shared.request(editor_b, "GET", "/deling"))
    assert f"Pakke {world_a.marker}" in page
    for text in (f"Deltaker {world_a.marker}", f"Kurs {world_a.marker}",
                 f"Prosjekt {world_a.marker}"):
        assert text not in page
