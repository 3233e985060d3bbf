"""``flask demo load``: a believable municipality with a login for every role."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.accounts import passwords
from app.accounts.models import LeaderLevel, Organisation, Unit, User
from app.demo import people
from app.demo.services import load_demo


@pytest.fixture
def load(app, session):
    """Load the demo as `flask demo load` does: inside the app (but no context stays
    pushed, so requests in the test get their own)."""

    def run():
        with app.app_context():
            return load_demo(session)

    return run


def _count(session, model, *where):
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def test_the_demo_has_the_three_organisations_and_about_two_hundred_employees(session, load):
    load()
    slugs = set(session.scalars(sa.select(Organisation.slug)))
    assert {"trondheim", "trondelag-fylkeskommune", "statsforvalteren-trondelag"} <= slugs
    trondheim = session.scalar(sa.select(Organisation).where(Organisation.slug == "trondheim"))
    employees = _count(session, User, User.organisation_id == trondheim.id)
    assert 180 <= employees <= 240
    levels = set(session.scalars(sa.select(User.leader_level)
                                 .where(User.organisation_id == trondheim.id)))
    assert levels == set(LeaderLevel)


def test_the_unit_tree_is_three_levels_deep_and_every_unit_has_a_leader(session, load):
    load()
    units = session.scalars(sa.select(Unit)).all()
    assert {u.depth for u in units} == {0, 1, 2}
    assert all(u.manager_id for u in units), [u.code for u in units if not u.manager_id]
    numbers = session.scalars(sa.select(User.employee_number)).all()
    assert all(numbers) and len(numbers) == len(set(numbers))


def test_every_demo_login_exists_with_its_role_and_the_demo_password(session, load):
    load()
    for email, _name, _org, _unit, _title, level, leads, roles in people.DEMO_LOGINS:
        user = session.scalar(sa.select(User).where(User.email == email))
        assert user is not None, email
        assert user.role_names() == set(roles), email
        assert user.leader_level == level
        assert passwords.verify_password(user.password_hash, people.DEMO_PASSWORD)
        if leads:
            unit = session.scalar(sa.select(Unit).where(Unit.code == leads))
            assert unit.manager_id == user.id


def test_loading_twice_changes_nothing(session, load):
    load()
    counts = (_count(session, User), _count(session, Unit))
    result = load()
    assert result["people_created"] == 0
    assert (_count(session, User), _count(session, Unit)) == counts


def test_every_demo_login_lands_on_its_own_home_page(web, session, load):
    load()
    session.commit()
    for email, name, *_ in people.DEMO_LOGINS:
        response = web.post("/login", {"email": email, "password": people.DEMO_PASSWORD},
                            page="/login")
        assert response.headers["Location"] == "/", email
        home = web.get("/").get_data(as_text=True)
        assert f"Hei, {name.split()[0]}" in home
        web.post("/logout", page="/")


def test_the_demo_refuses_to_load_in_production(app, runner):
    app.config["PRODUCTION"] = True
    try:
        result = runner.invoke(args=["demo", "load"])
    finally:
        app.config["PRODUCTION"] = False
    assert result.exit_code != 0
    assert "never loaded" in result.output
