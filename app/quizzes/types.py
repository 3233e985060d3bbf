"""The question types: one class each, registered by kind.

A type reads a response from a form or from JSON, scores it as a fraction of the points
(0–1), says what the right answer is, and checks a question when it is authored. All of it
is pure: plain values in, plain values out. A new type is one class with ``@register``,
one input template ``quizzes/types/_<kind>.html`` and one label.

Responses are small JSON objects, the same in the database and in the API:

=========== ==================================
single      ``{"choice": 12}``
multiple    ``{"choices": [12, 14]}``
true_false  ``{"value": true}``
numeric     ``{"text": "3,5"}`` (as typed; read with a comma or a point)
short_text  ``{"text": "gevinstrealisering"}``
ordering    ``{"order": [15, 13, 14]}`` (choice ids, first to last)
=========== ==================================
"""

from __future__ import annotations

import math
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class ChoiceSpec:
    id: int
    text: str
    correct: bool = False
    #: The place in the right order (ordering questions) or the authored order.
    position: int = 0


@dataclass(frozen=True)
class QuestionSpec:
    """What scoring needs to know of a question, without the database."""

    id: int
    kind: str
    points: float = 1
    choices: tuple[ChoiceSpec, ...] = ()
    partial_credit: bool = False
    correct_true: bool | None = None
    numeric_answer: float | None = None
    tolerance: float | None = None
    accepted_answers: tuple[str, ...] = field(default_factory=tuple)


class InvalidResponse(ValueError):
    """A response that does not fit its question (e.g. an unknown choice id in the API)."""


#: Form values by field name, as ``MultiDict.to_dict(flat=False)`` gives them.
FormValues = Mapping[str, list[str]]

REGISTRY: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    REGISTRY[cls.kind] = cls()
    return cls


def question_type(kind: str) -> QuestionType:
    return REGISTRY[str(kind)]


def field_name(spec: QuestionSpec) -> str:
    return f"q-{spec.id}"


def _ids(spec: QuestionSpec) -> set[int]:
    return {c.id for c in spec.choices}


def _int(value) -> int:
    if isinstance(value, bool):
        raise InvalidResponse("not a choice id")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidResponse("not a choice id") from None


class QuestionType(ABC):
    """One kind of question: how its answer is read, checked and scored."""

    kind: str = ""
    label = ""
    #: Input template under quizzes/types/.
    template = ""

    @abstractmethod
    def from_form(self, spec: QuestionSpec, form: FormValues) -> dict | None:
        """The response in a submitted form; None when the question was left unanswered."""

    @abstractmethod
    def clean(self, spec: QuestionSpec, response) -> dict | None:
        """A JSON response checked against the question (the API's input)."""

    @abstractmethod
    def fraction(self, spec: QuestionSpec, response: dict | None) -> float:
        """The share of the points the response earns, from 0 to 1."""

    @abstractmethod
    def right_response(self, spec: QuestionSpec) -> dict:
        """A response that earns every point (for previews and tests)."""

    def problems(self, spec: QuestionSpec) -> list[str]:
        """What keeps an authored question from being usable."""
        return []


@register
class SingleChoice(QuestionType):
    kind = "single"
    label = _l("Ett riktig svar")
    template = "quizzes/types/_single.html"

    def from_form(self, spec, form):
        values = form.get(field_name(spec)) or []
        if not values or not values[0]:
            return None
        return self.clean(spec, {"choice": values[0]})

    def clean(self, spec, response):
        if response is None or response.get("choice") is None:
            return None
        choice = _int(response["choice"])
        if choice not in _ids(spec):
            raise InvalidResponse("unknown choice")
        return {"choice": choice}

    def fraction(self, spec, response):
        if not response:
            return 0.0
        right = {c.id for c in spec.choices if c.correct}
        return 1.0 if response.get("choice") in right else 0.0

    def right_response(self, spec):
        return {"choice": next((c.id for c in spec.choices if c.correct), None)}

    def problems(self, spec):
        out = []
        if len(spec.choices) < 2:
            out.append(_l("Spørsmålet trenger minst to svaralternativer."))
        if sum(c.correct for c in spec.choices) != 1:
            out.append(_l("Nøyaktig ett svaralternativ skal være riktig."))
        return out


@register
class MultipleChoice(QuestionType):
    kind = "multiple"
    label = _l("Flere riktige svar")
    template = "quizzes/types/_multiple.html"

    def from_form(self, spec, form):
        values = [v for v in form.get(field_name(spec)) or [] if v]
        return self.clean(spec, {"choices": values})

    def clean(self, spec, response):
        if response is None:
            return None
        raw = response.get("choices")
        if not isinstance(raw, list | tuple):
            raise InvalidResponse("choices must be a list")
        chosen = sorted({_int(v) for v in raw})
        if not set(chosen) <= _ids(spec):
            raise InvalidResponse("unknown choice")
        return {"choices": chosen}

    def fraction(self, spec, response):
        chosen = set((response or {}).get("choices") or [])
        right = {c.id for c in spec.choices if c.correct}
        wrong = _ids(spec) - right
        if not right:
            return 0.0
        if not spec.partial_credit:
            return 1.0 if chosen == right else 0.0
        # Each right choice earns its share; each wrong one takes a share back, so that
        # ticking every box earns nothing unless every box is right.
        earned = len(chosen & right) / len(right)
        penalty = len(chosen & wrong) / len(wrong) if wrong else 0.0
        return min(1.0, max(0.0, earned - penalty))

    def right_response(self, spec):
        return {"choices": sorted(c.id for c in spec.choices if c.correct)}

    def problems(self, spec):
        out = []
        if len(spec.choices) < 2:
            out.append(_l("Spørsmålet trenger minst to svaralternativer."))
        if not any(c.correct for c in spec.choices):
            out.append(_l("Minst ett svaralternativ skal være riktig."))
        return out


@register
class TrueFalse(QuestionType):
    kind = "true_false"
    label = _l("Sant eller usant")
    template = "quizzes/types/_true_false.html"

    def from_form(self, spec, form):
        values = form.get(field_name(spec)) or []
        if not values or values[0] not in ("true", "false"):
            return None
        return {"value": values[0] == "true"}

    def clean(self, spec, response):
        if response is None or response.get("value") is None:
            return None
        if not isinstance(response["value"], bool):
            raise InvalidResponse("value must be true or false")
        return {"value": response["value"]}

    def fraction(self, spec, response):
        if not response or spec.correct_true is None:
            return 0.0
        return 1.0 if response.get("value") is spec.correct_true else 0.0

    def right_response(self, spec):
        return {"value": spec.correct_true}

    def problems(self, spec):
        if spec.correct_true is None:
            return [_l("Velg om påstanden er sann eller usann.")]
        return []


NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def read_number(text: str | None) -> float | None:
    """A number as people type it here: "3,5", "3.5", "1 000", "−2"; None if it is none."""
    if text is None:
        return None
    cleaned = (text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
               .replace("\u2212", "-"))
    if not NUMBER_RE.match(cleaned):
        return None
    value = float(cleaned.replace(",", "."))
    return value if math.isfinite(value) else None


@register
class Numeric(QuestionType):
    kind = "numeric"
    label = _l("Tall")
    template = "quizzes/types/_numeric.html"

    def from_form(self, spec, form):
        values = form.get(field_name(spec)) or []
        text = (values[0] if values else "").strip()[:100]
        return {"text": text} if text else None

    def clean(self, spec, response):
        if response is None:
            return None
        value = response.get("text", response.get("value"))
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise InvalidResponse("a number is expected")
        return {"text": str(value)[:100]}

    def fraction(self, spec, response):
        value = read_number((response or {}).get("text"))
        if value is None or spec.numeric_answer is None:
            return 0.0
        tolerance = spec.tolerance or 0.0
        # A tiny margin so that 0.1 + 0.2 is 0.3: floats, not people, would fail it.
        margin = 1e-9 * max(1.0, abs(spec.numeric_answer))
        return 1.0 if abs(value - spec.numeric_answer) <= tolerance + margin else 0.0

    def right_response(self, spec):
        return {"value": spec.numeric_answer, "tolerance": spec.tolerance or 0.0}

    def problems(self, spec):
        return [] if spec.numeric_answer is not None else [_l("Oppgi det riktige tallet.")]


def normalise_text(text: str) -> str:
    """Case, Unicode form, spacing and closing punctuation do not matter; letters do
    (æ, ø and å are letters of their own, so "for" and "før" stay different)."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = " ".join(text.split())
    return text.strip(" .,;:!?\"'«»")


@register
class ShortText(QuestionType):
    kind = "short_text"
    label = _l("Kort tekstsvar")
    template = "quizzes/types/_short_text.html"

    def from_form(self, spec, form):
        values = form.get(field_name(spec)) or []
        text = (values[0] if values else "").strip()[:500]
        return {"text": text} if text else None

    def clean(self, spec, response):
        if response is None or not response.get("text"):
            return None
        if not isinstance(response["text"], str):
            raise InvalidResponse("text must be a string")
        return {"text": response["text"].strip()[:500]}

    def fraction(self, spec, response):
        given = normalise_text((response or {}).get("text") or "")
        if not given:
            return 0.0
        return 1.0 if given in {normalise_text(a) for a in spec.accepted_answers} else 0.0

    def right_response(self, spec):
        return {"texts": list(spec.accepted_answers)}

    def problems(self, spec):
        if not [a for a in spec.accepted_answers if normalise_text(a)]:
            return [_l("Oppgi minst ett godtatt svar.")]
        return []


@register
class Ordering(QuestionType):
    kind = "ordering"
    label = _l("Rekkefølge")
    template = "quizzes/types/_ordering.html"

    def rank_field(self, spec: QuestionSpec, choice_id: int) -> str:
        return f"{field_name(spec)}-{choice_id}"

    def from_form(self, spec, form):
        # Without JavaScript each item has a "place" select; ties keep the shown order.
        ranked = []
        for shown, choice in enumerate(spec.choices):
            values = form.get(self.rank_field(spec, choice.id)) or []
            try:
                rank = int(values[0]) if values and values[0] else None
            except ValueError:
                rank = None
            if rank is None:
                return None
            ranked.append((rank, shown, choice.id))
        if not ranked:
            return None
        return {"order": [cid for _r, _s, cid in sorted(ranked)]}

    def clean(self, spec, response):
        if response is None or response.get("order") is None:
            return None
        raw = response["order"]
        if not isinstance(raw, list | tuple):
            raise InvalidResponse("order must be a list")
        order = [_int(v) for v in raw]
        if sorted(order) != sorted(_ids(spec)):
            raise InvalidResponse("order must name every item once")
        return {"order": order}

    def fraction(self, spec, response):
        given = (response or {}).get("order") or []
        right = [c.id for c in sorted(spec.choices, key=lambda c: c.position)]
        if sorted(given) != sorted(right) or not right:
            return 0.0
        if given == right:
            return 1.0
        if not spec.partial_credit or len(right) < 2:
            return 0.0
        # The share of pairs that stand in the right order relative to each other.
        place = {cid: i for i, cid in enumerate(given)}
        pairs = [(a, b) for i, a in enumerate(right) for b in right[i + 1:]]
        return sum(place[a] < place[b] for a, b in pairs) / len(pairs)

    def right_response(self, spec):
        return {"order": [c.id for c in sorted(spec.choices, key=lambda c: c.position)]}

    def problems(self, spec):
        if len(spec.choices) < 2:
            return [_l("Rekkefølgen trenger minst to elementer.")]
        return []
