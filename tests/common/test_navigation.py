"""The main menu: everyday pages for everyone, course work and administration in a labelled
second row for those whose roles reach them, and the same lists from the cached fragment."""

from __future__ import annotations

import re

from tests.factories import make_user


def _menu(page: str) -> str:
    return page.split('<nav class="site-nav"')[1].split("</nav>")[0]


def _labels(html: str) -> list[str]:
    return re.findall(r"<a href=\"[^\"]+\"(?: aria-current=\"page\")?>([^<]+)</a>", html)


def test_a_participant_sees_the_everyday_pages_only(client, session, login_as):
    login_as(make_user(session))
    menu = _menu(client.get("/").get_data(as_text=True))
    assert _labels(menu) == ["Hjem", "Kurs", "Samlinger", "Verktøykasse", "IT-prosjekter",
                             "Mine evalueringer"]
    assert "site-nav__tools" not in menu


def test_an_organiser_gets_a_labelled_course_work_row(client, session, login_as):
    login_as(make_user(session, roles=["organiser"]))
    menu = _menu(client.get("/kurs").get_data(as_text=True))
    main, tools = menu.split('class="site-nav__tools"')
    assert 'aria-current="page">Kurs<' in main
    assert 'id="nav-work">Kursarbeid</span><ul aria-labelledby="nav-work">' in tools
    assert "Kursforvaltning" in tools and "Administrasjon" not in tools


def test_an_admin_gets_both_rows_and_the_labels_follow_the_language(web, client, session,
                                                                     login_as):
    login_as(make_user(session, roles=["admin"]))
    tools = _menu(client.get("/").get_data(as_text=True)).split('class="site-nav__tools"')[1]
    assert tools.index("Kursarbeid") < tools.index("Administrasjon")
    assert tools.index("Administrasjon") < tools.index(">Personer<") < tools.index(">Jobber<")
    web.post("/sprak", {"lang": "en", "next": "/"})
    english = _menu(client.get("/").get_data(as_text=True))
    assert ">Course work<" in english and ">Administration<" in english
    assert "Kursarbeid" not in english


def test_the_menu_follows_a_change_of_roles_on_the_next_page(client, session, login_as):
    person = make_user(session, roles=["organiser"])
    login_as(person)
    assert "Kursforvaltning" in _menu(client.get("/").get_data(as_text=True))
    for role in list(person.roles):
        session.delete(role)
    session.flush()
    menu = _menu(client.get("/").get_data(as_text=True))
    assert "Kursforvaltning" not in menu and "site-nav__tools" not in menu
    every_menu_entry_but_the_tools = _labels(menu)
    assert every_menu_entry_but_the_tools == ["Hjem", "Kurs", "Samlinger", "Verktøykasse",
                                             "IT-prosjekter", "Mine evalueringer"]
