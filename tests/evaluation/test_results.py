"""Results pages: shown once five have answered, never for fewer, to whom they belong."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from app.evaluation.models import Evaluation
from tests.evaluation.builders import answer, answered_offering, enrol, make_course
from tests.factories import make_org, make_user

NOT_YET = "Resultatene vises når minst 5 deltakere på samme gjennomføring har svart."


@pytest.fixture
def org(session):
    return make_org(session, name="Trondheim kommune", slug="trondheim-test")


def organiser_of(session, org):
    return make_user(session, org=org, roles=["organiser"])


def test_an_organiser_sees_the_result_once_five_have_answered_and_not_before(
    web, session, login_as, org
):
    organiser = organiser_of(session, org)
    course = make_course(session, org=org, title="IT i hverdagen", slug="it-test")
    offering = answered_offering(
        session, course, 4, creator=organiser, scores=(5, 4, 3, 9), comment="Godt opplegg"
    )
    login_as(organiser)
    for url in (
        f"/evalueringer/resultater/gjennomforing/{offering.id}",
        "/evalueringer/resultater/kurs/it-test",
    ):
        page = web.get(url).get_data(as_text=True)
        assert NOT_YET in page, url
        assert "Så langt har 4 svart." in page
        assert "Godt opplegg" not in page and "<svg" not in page

    answer(
        session,
        enrol(session, offering),
        relevance=5,
        usefulness=4,
        teaching=3,
        recommend=9,
        comment="Godt opplegg 4",
    )
    for url in (
        f"/evalueringer/resultater/gjennomforing/{offering.id}",
        "/evalueringer/resultater/kurs/it-test",
    ):
        page = web.get(url).get_data(as_text=True)
        assert NOT_YET not in page, url
        assert "Bygger på 5 svar." in page
        assert "4,0" in page and "+100" in page  # usefulness 4,0; all promoters
        assert "Godt opplegg 0" in page
        assert "<svg" in page and "style=" not in page.split("<main", 1)[1]


def test_the_course_page_draws_the_trend_by_month_from_offerings_of_five_or_more(
    web, session, login_as, org
):
    hr = make_user(session, org=org, roles=["hr"])
    course = make_course(session, org=org, title="IT i hverdagen", slug="it-trend")
    for n, scores, month in ((5, (4, 4, 4, 8), 3), (6, (2, 3, 5, 9), 9),
                             (4, (1, 1, 1, 0), 6)):  # four answers in June: no point
        answered_offering(session, course, n, scores=scores,
                          ends_at=datetime(2026, month, 10, tzinfo=UTC))
    login_as(hr)
    page = web.get("/evalueringer/resultater/kurs/it-trend").get_data(as_text=True)
    start = page.index("Utvikling over tid")
    chart = page[start: page.index("</figure>", start)]
    assert "<svg" in chart
    rows = re.findall(r"<tr><th scope=\"row\">([^<]+)</th>((?:<td[^>]*>[^<]*</td>)+)</tr>",
                      chart)
    cells = {month: re.findall(r">([^<]*)</td>", tds) for month, tds in rows}
    assert cells["mars 2026"] == ["4,0", "4,0", "4,0"]
    assert cells["sep. 2026"] == ["2,0", "3,0", "5,0"]
    assert cells["juni 2026"] == ["–", "–", "–"]


def test_the_comparison_lists_courses_with_their_figures_or_why_not(web, session, login_as, org):
    hr = make_user(session, org=org, roles=["hr"])
    answered_offering(session, make_course(session, org=org, title="Alfa"), 6)
    answered_offering(session, make_course(session, org=org, title="Beta"), 2)
    login_as(hr)
    page = web.get("/evalueringer/resultater").get_data(as_text=True)
    alfa = page[page.index(">Alfa<") : page.index(">Beta<")]
    beta = page[page.index(">Beta<") : page.index("</tbody>")]
    assert ">6<" in alfa and "4,0" in alfa
    assert "Vises ved minst fem svar per gjennomføring" in beta
    assert "2 svar fra gjennomføringer med færre enn 5 svar er ikke tatt med" in page


def test_scope_organisers_see_their_own_courses_and_hr_their_organisations(
    web, session, login_as, org
):
    own = organiser_of(session, org)
    colleague = organiser_of(session, org)
    mine = answered_offering(session, make_course(session, org=org, slug="mitt"), 5, creator=own)
    other = make_org(session)
    foreign = answered_offering(session, make_course(session, org=other, slug="fremmed"), 5)

    login_as(colleague)
    assert web.get("/evalueringer/resultater/kurs/mitt").status_code == 404
    assert web.get(f"/evalueringer/resultater/gjennomforing/{mine.id}").status_code == 404
    login_as(own)
    assert web.get("/evalueringer/resultater/kurs/mitt").status_code == 200
    login_as(make_user(session, org=org, roles=["hr"]))
    assert web.get("/evalueringer/resultater/kurs/mitt").status_code == 200
    assert web.get("/evalueringer/resultater/kurs/fremmed").status_code == 404
    assert web.get(f"/evalueringer/resultater/gjennomforing/{foreign.id}").status_code == 404
    overview = web.get("/evalueringer/resultater").get_data(as_text=True)
    assert "/kurs/mitt" in overview and "/kurs/fremmed" not in overview
    login_as(make_user(session, org=org))
    assert web.get("/evalueringer/resultater").status_code == 403


def test_partners_see_their_packages_wherever_taught_aggregated_without_free_text(
    web, session, login_as, org
):
    county = make_org(session, name="Trøndelag fylkeskommune", kind="county")
    original = make_course(session, org=county, title="Digital dugnad", package_uid="tfk/dugnad")
    copy = make_course(
        session, org=org, title="Digital dugnad (Trondheim)", package_uid="tfk/dugnad"
    )
    answered_offering(session, original, 5, scores=(5, 5, 5, 10), comment="Fylket")
    answered_offering(session, copy, 6, scores=(3, 3, 3, 6), comment="Kommunen")
    answered_offering(session, copy, 3, scores=(1, 1, 1, 0))

    login_as(make_user(session, org=county, roles=["editor"]))
    page = web.get("/evalueringer/resultater/delte").get_data(as_text=True)
    assert "Digital dugnad" in page
    assert "Trondheim kommune" in page and "Trøndelag fylkeskommune" in page
    assert "Bygger på 11 svar." in page
    assert "3 svar fra gjennomføringer med færre enn 5 svar er ikke tatt med" in page
    assert "Kommunen" not in page and "Fylket" not in page, "no free text for partners"
    assert web.get("/evalueringer/resultater/kurs/" + copy.slug).status_code == 404

    # The importer does not see the publisher's results through the shared page.
    login_as(make_user(session, org=org, roles=["hr"]))
    shared = web.get("/evalueringer/resultater/delte").get_data(as_text=True)
    assert "Bygger på" not in shared


def _visible(web, urls) -> list[str]:
    pages = []
    for url in urls:
        response = web.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=False)
        if ".xlsx" in url:
            from io import BytesIO

            from openpyxl import load_workbook

            book = load_workbook(BytesIO(body))
            body = repr([list(ws.values) for ws in book.worksheets]).encode()
        text = body.decode("utf-8", "replace")
        pages.append(re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", text))
    return pages


def test_no_filter_combination_singles_out_anyone_of_a_small_offering(
    web, session, login_as, org, app
):
    """Four people answered one offering; whatever they answered, every page, filter,
    export and API answer is exactly the same: none of them can be singled out."""
    from datetime import timedelta

    from app.evaluation.models import EvaluationKind
    from tests.evaluation.builders import NOW
    from tests.factories import make_token

    hr = make_user(session, org=org, roles=["hr", "organiser"])
    course = make_course(session, org=org, slug="filtrert")
    answered_offering(session, course, 6, ends_at=NOW - timedelta(days=400), creator=hr)
    small = answered_offering(
        session, course, 4, ends_at=NOW - timedelta(days=10), creator=hr, comment="HEMMELIG"
    )
    for enrolment_answer in session.scalars(
        sa.select(Evaluation).where(Evaluation.offering_id == small.id)
    ):
        answer(
            session,
            enrolment_answer.enrolment,
            kind=EvaluationKind.FOLLOW_UP,
            follow_up="no",
            comment="HEMMELIG",
        )
    login_as(hr)
    token = make_token(session, hr)
    urls = []
    for periode in ("alle", "12m", "2025", "2026", "x"):
        for organisation in ("", org.slug):
            q = f"?periode={periode}&organisasjon={organisation}"
            urls += [
                "/evalueringer/resultater" + q,
                "/evalueringer/resultater/kurs/filtrert" + q,
                "/evalueringer/resultater/delte" + q,
                "/evalueringer/resultater/eksport.csv" + q + "&kurs=filtrert",
                "/evalueringer/resultater/eksport.xlsx" + q,
            ]
    urls.append(f"/evalueringer/resultater/gjennomforing/{small.id}")

    def api():
        response = web.client.get(
            "/api/v1/courses/filtrert/evaluation", headers={"Authorization": f"Bearer {token}"}
        )
        return response.get_json()

    before, api_before = _visible(web, urls), api()
    assert all("HEMMELIG" not in page for page in before)
    session.execute(
        sa.update(Evaluation)
        .where(Evaluation.offering_id == small.id, Evaluation.kind == "first")
        .values(relevance=1, usefulness=1, teaching=1, recommend=0, comment="ANNET")
    )
    session.execute(
        sa.update(Evaluation)
        .where(Evaluation.offering_id == small.id, Evaluation.kind == "follow_up")
        .values(follow_up="yes", comment=None)
    )
    session.flush()
    after, api_after = _visible(web, urls), api()
    for url, one, two in zip(urls, before, after, strict=True):
        assert one == two, f"{url} changed with the answers of four people"
    assert api_before == api_after
    assert api_before["respondents"] == 10 and api_before["counted"] == 6
