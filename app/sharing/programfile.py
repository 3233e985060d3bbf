"""``program.toml``: a seminar's programme, its sessions day by day with their lengths."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.sharing.problems import N_, Collector
from app.sharing.tomlfile import load_table

CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
SESSION_KINDS = ("session", "break")


@dataclass(frozen=True)
class ProgramSession:
    day: int
    #: "HH:MM", local time of the venue.
    start: str
    minutes: int
    title: str
    topic: str = ""
    #: The module (``moduler/….md``) with the session's text, if any.
    module: str | None = None
    kind: str = "session"
    #: Counts towards "all mandatory sessions attended".
    mandatory: bool = True

    @property
    def start_minute(self) -> int:
        hours, minutes = self.start.split(":")
        return int(hours) * 60 + int(minutes)

    @property
    def end(self) -> str:
        end = self.start_minute + self.minutes
        return f"{end // 60:02d}:{end % 60:02d}"


@dataclass(frozen=True)
class Program:
    sessions: tuple[ProgramSession, ...]

    @property
    def days(self) -> int:
        return max(s.day for s in self.sessions)

    def minutes(self, kind: str = "session") -> int:
        return sum(s.minutes for s in self.sessions if s.kind == kind)


def parse_program(collector: Collector, data: bytes,
                  file: str = "program.toml") -> Program | None:
    root = load_table(collector, file, data)
    if root is None:
        return None
    tables = root.tables("sessions", min_items=1, max_items=100)
    root.finish()
    sessions: list[ProgramSession] = []
    for table in tables or []:
        day = table.integer("day", minimum=1, maximum=14)
        start = table.string("start", max_length=5, pattern=CLOCK,
                             pattern_hint=N_("TT:MM"))
        minutes = table.integer("minutes", minimum=5, maximum=600)
        title = table.string("title", max_length=200)
        topic = table.string("topic", required=False, max_length=2000, multiline=True,
                             default="")
        module = table.string("module", required=False, max_length=120)
        kind = table.choice("kind", SESSION_KINDS, required=False, default="session")
        mandatory = table.boolean("mandatory", default=kind == "session")
        table.finish()
        if None in (day, start, minutes, title, topic, kind, mandatory):
            return None
        sessions.append(ProgramSession(day=day, start=start, minutes=minutes, title=title,
                                       topic=topic.strip(), module=module, kind=kind,
                                       mandatory=mandatory))
    if tables is None:
        return None
    previous: ProgramSession | None = None
    for index, session in enumerate(sessions, start=1):
        key = f"sessions[{index}]"
        if session.start_minute + session.minutes > 24 * 60:
            collector.add(file, key, N_("økta varer over midnatt"))
            return None
        if previous is not None:
            if session.day < previous.day or (
                    session.day == previous.day and session.start_minute < previous.start_minute):
                collector.add(file, key, N_("øktene skal stå i tidsrekkefølge (dag, start)"))
                return None
            if session.day == previous.day and \
                    session.start_minute < previous.start_minute + previous.minutes:
                collector.add(file, key, N_("økta begynner før forrige økt (%(title)s) er slutt "
                                            "kl. %(end)s"), title=previous.title, end=previous.end)
                return None
            if session.day > previous.day + 1:
                collector.add(file, key, N_("dag %(day)s mangler i programmet"),
                              day=previous.day + 1)
                return None
        elif session.day != 1:
            collector.add(file, key, N_("programmet skal begynne på dag 1"))
            return None
        previous = session
    return Program(sessions=tuple(sessions))


def program_document(program: Program) -> dict[str, Any]:
    sessions = []
    for s in program.sessions:
        item: dict[str, Any] = {"day": s.day, "start": s.start, "minutes": s.minutes,
                                "title": s.title, "kind": s.kind, "mandatory": s.mandatory}
        if s.module:
            item["module"] = s.module
        if s.topic:
            item["topic"] = s.topic
        sessions.append(item)
    return {"sessions": sessions}
