"""A leader takes the quiz on a phone, passes, gets the certificate, and someone without an
account verifies it from its QR code. axe checks every page on the way."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from app.accounts.models import Organisation, User
from app.catalogue.models import Course
from app.certificates.credentials import create_key
from app.certificates.settings import from_config
from app.enrolment.models import CourseSession, Enrolment, Offering
from app.extensions import db
from app.orm import utcnow
from app.outbox.models import OutboxEmail
from app.quizzes.models import Quiz
from app.quizzes.services import spec_of
from app.quizzes.types import question_type
from tests.e2e.test_journeys import assert_accessible, log_in
from tests.live import served_app

COURSE = "IT i hverdagen – strategisk IT-kompetanse for ledere"  # kurs/it-i-hverdagen
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def quiz_server(tmp_path_factory):
    """The demo (the course from kurs/it-i-hverdagen with its quiz), the demo leader
    enrolled on an offering whose session has just ended, and a signing key."""
    tmp = tmp_path_factory.mktemp("quiz-live")
    with served_app(tmp, "e2e_quiz", demo=True) as (app, base):
        with app.app_context(), app.test_request_context():
            session = db.session
            org = session.scalar(sa.select(Organisation).where(Organisation.slug == "trondheim"))
            course = session.scalar(sa.select(Course).where(Course.slug == "it-i-hverdagen"))
            offering = Offering(course_id=course.id, organisation_id=org.id, title="Høst",
                                status="published", starts_at=utcnow())
            session.add(offering)
            session.flush()
            session.add(CourseSession(offering_id=offering.id, title="Samling",
                                      starts_at=utcnow() - timedelta(hours=3),
                                      ends_at=utcnow() - timedelta(hours=1)))
            leader = session.scalar(
                sa.select(User).where(User.email == "leder@trondheim.example"))
            session.add(Enrolment(offering_id=offering.id, user_id=leader.id,
                                  status="enrolled"))
            create_key(session, storage_dir=from_config(app.config).storage_dir, now=utcnow())
            quiz = session.scalar(sa.select(Quiz).where(Quiz.course_id == course.id))
            quiz_id, answers = quiz.id, {}
            for q in quiz.questions:
                spec = spec_of(q)
                right = question_type(q.kind).right_response(spec)
                texts = {c.id: c.text for c in q.choices}
                answers[q.prompt] = (str(q.kind), right, texts)
            session.commit()
        yield app, base, answers, quiz_id


def answer_question(page: Page, answers: dict) -> None:
    legend = page.locator("legend").first.inner_text()
    prompt = legend.split(": ", 1)[1]
    kind, right, texts = answers[prompt]
    if kind == "single":
        page.get_by_label(texts[right["choice"]], exact=True).check()
    elif kind == "multiple":
        for cid in right["choices"]:
            page.get_by_label(texts[cid], exact=True).check()
    elif kind == "true_false":
        page.get_by_label("Sant" if right["value"] else "Usant", exact=True).check()
    elif kind == "numeric":
        # The label names the question's unit ("Svar (timer)"), or "Svar (tall)".
        page.get_by_label(re.compile(r"^Svar \(")).fill(f"{right['value']:g}".replace(".", ","))
    elif kind == "short_text":
        page.get_by_label("Svar", exact=True).fill(right["texts"][0])
    elif kind == "ordering":
        for place, cid in enumerate(right["order"], 1):
            page.get_by_label(texts[cid], exact=True).select_option(label=f"Plass {place}")


def scan(pdf: bytes, tmp_path) -> str:
    """The QR code's content: scanned with zbarimg when it is installed, else the link
    annotation that covers the code."""
    if shutil.which("zbarimg") and shutil.which("pdftoppm"):
        (tmp_path / "cert.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile",
                        str(tmp_path / "cert.pdf"), str(tmp_path / "cert")], check=True)
        return subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "cert.png")],
                              capture_output=True, text=True, check=True).stdout.strip()
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return next(a.get_object()["/A"]["/URI"] for a in page["/Annots"])


def test_a_leader_takes_the_quiz_on_a_phone_and_a_stranger_verifies_the_certificate(
        page: Page, browser, quiz_server, tmp_path):
    app, base, answers, quiz_id = quiz_server
    with app.app_context():
        title = db.session.get(Quiz, quiz_id).title
    page.set_viewport_size(PHONE)
    log_in(page, base, "leder@trondheim.example")
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(page)
    page.get_by_role("button", name="Start prøven").click()

    for n in range(1, len(answers) + 1):
        expect(page.get_by_text(f"Spørsmål {n} av {len(answers)}")).to_be_visible()
        if n == 1:
            assert_accessible(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"the question page scrolls sideways ({width}px)"
        answer_question(page, answers)
        last = n == len(answers)
        page.get_by_role("button", name="Lever prøven" if last else "Neste").click()

    expect(page.get_by_text("Bestått!")).to_be_visible()
    assert_accessible(page)
    download = page.get_by_role("link", name="Last ned kursbeviset (PDF)")
    pdf = page.request.get(base + download.get_attribute("href")).body()
    assert PdfReader(io.BytesIO(pdf)).pages[0].extract_text().count("Ingrid Hansen Berg") == 1

    page.get_by_role("link", name="Til forsiden").click()
    expect(page.get_by_role("heading", name="Kursbevis og prøver")).to_be_visible()
    expect(page.get_by_role("link", name=f"{COURSE} (PDF)")).to_be_visible()
    assert_accessible(page)

    with app.app_context():
        mail = db.session.scalar(sa.select(OutboxEmail).where(
            OutboxEmail.recipient == "leder@trondheim.example",
            OutboxEmail.reason.like("certificate:%")))
        assert mail is not None and "/verify/" in mail.body_text

    url = scan(pdf, tmp_path)
    assert re.fullmatch(r"http://localhost/verify/[A-Za-z0-9_-]{22,}", url), url
    stranger = browser.new_context(viewport=PHONE, locale="nb-NO")
    try:
        visitor = stranger.new_page()
        visitor.goto(base + url.removeprefix("http://localhost"))
        expect(visitor.get_by_role("heading", level=1)).to_have_text("Kontroll av kursbevis")
        expect(visitor.get_by_text("Gyldig.")).to_be_visible()
        expect(visitor.get_by_text("Ingrid Hansen Berg")).to_be_visible()
        assert_accessible(visitor)
    finally:
        stranger.close()


def test_an_organiser_previews_the_quiz_with_its_answers(page: Page, quiz_server):
    app, base, _answers, quiz_id = quiz_server
    with app.app_context():
        title = db.session.get(Quiz, quiz_id).title
    log_in(page, base, "arrangor@trondheim.example")
    page.get_by_role("link", name="Prøver").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Prøver")
    assert_accessible(page)
    page.get_by_role("row", name=COURSE).get_by_role("link", name="Forhåndsvis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Forhåndsvisning: {title}")
    expect(page.get_by_text("Fasit:").first).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Tilbake til redigering").click()
    expect(page.get_by_role("heading", level=2, name="Innstillinger")).to_be_visible()
    assert_accessible(page)


def test_an_answer_given_while_the_connection_is_down_is_kept(page: Page, quiz_server):
    _app, base, answers, quiz_id = quiz_server
    page.set_viewport_size(PHONE)
    log_in(page, base, "hr@trondheim.example")
    page.goto(f"{base}/prover/{quiz_id}")
    page.get_by_role("button", name="Start prøven").click()
    expect(page.get_by_text("Spørsmål 1 av")).to_be_visible()
    address = page.url
    answer_question(page, answers)
    page.context.set_offline(True)
    page.get_by_role("button", name="Neste").click()
    page.wait_for_url("chrome-error://**")  # the answer never reached the server
    page.context.set_offline(False)
    page.goto(address)
    expect(page.get_by_text("hentet tilbake fra denne enheten")).to_be_visible()
    expect(page.locator("fieldset.question input:checked, fieldset.question select")
           .first).to_be_visible()
    page.get_by_role("button", name="Neste").click()
    expect(page.get_by_text("1 besvart")).to_be_visible()
