"""The date filters every template uses: Babel's formatting, kept per language and zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import force_locale, format_date, format_datetime

from app.common.i18n import format_date_cached, format_datetime_cached

MOMENT = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 in Oslo, the night clocks change


def test_the_filters_say_what_babel_says_in_each_language_whatever_was_asked_first(app):
    with app.test_request_context("/"):
        for language in ("nb", "en", "nb"):
            with force_locale(language):
                assert format_datetime_cached(MOMENT) == format_datetime(MOMENT, "short")
                assert format_datetime_cached(MOMENT, "EEE d. MMM HH:mm") == format_datetime(
                    MOMENT, "EEE d. MMM HH:mm")
                assert format_date_cached(date(2026, 5, 17)) == format_date(date(2026, 5, 17),
                                                                            "long")
                assert format_date_cached(MOMENT, "full") == format_date(MOMENT, "full")
        with force_locale("nb"):
            assert format_date_cached(date(2026, 5, 17)) == "17. mai 2026"
        with force_locale("en"):
            assert format_date_cached(date(2026, 5, 17)) == "May 17, 2026"


def test_a_moment_is_dated_in_oslo_time_and_nothing_is_shown_for_no_value(app):
    with app.test_request_context("/"), force_locale("nb"):
        assert format_date_cached(date(2026, 1, 1), "short") == "01.01.2026"
        late = datetime(2025, 12, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 January in Oslo
        assert format_date_cached(late, "short") == "01.01.2026"
        assert format_datetime_cached(None) == "" and format_date_cached(None) == ""
