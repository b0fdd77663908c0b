"""Dates as the survey tools write them, read into local times in Europe/Helsinki."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from kuva_audit.config.surveys import split_zone_format
from kuva_audit.surveys.dates import best_layout, local_times


def read(values: list[str], date_format: str | None = None, zone: str | None = None) -> list:
    found = local_times(values, date_format=date_format, zone=zone)
    return [None if pd.isna(v) else v.to_pydatetime() for v in found]


def test_google_forms_12_hour_clock_with_gmt_offsets_on_both_sides_of_dst() -> None:
    assert read(
        [
            "2025/02/03 9:15:03 AM GMT+2",
            "2025/07/03 11:59:59 PM GMT+3",
            "2026/03/31 11:45:00 PM GMT+3",  # still March in Helsinki: 2026Q1
            "2026/04/01 12:10:00 AM GMT+3",
            "2026/06/30 10:30:00 PM GMT+0",  # a form owned in London: 1 July in Helsinki
            "2026/01/05 8:00:00 AM GMT-5",
        ]
    ) == [
        datetime(2025, 2, 3, 9, 15, 3),
        datetime(2025, 7, 3, 23, 59, 59),
        datetime(2026, 3, 31, 23, 45),
        datetime(2026, 4, 1, 0, 10),
        datetime(2026, 7, 1, 1, 30),
        datetime(2026, 1, 5, 15, 0),
    ]


def test_google_forms_24_hour_clock_with_zone_abbreviations() -> None:
    assert read(
        [
            "2026/01/10 12:00:00 EET",
            "2026/07/10 12:00:00 EEST",
            "2026/09/30 23:30:00 EEST",
            "2026/12/31 23:30:00 CET",  # Stockholm's new year starts later than Helsinki's
            "2026/06/01 09:00:00 UTC",
        ]
    ) == [
        datetime(2026, 1, 10, 12),
        datetime(2026, 7, 10, 12),
        datetime(2026, 9, 30, 23, 30),
        datetime(2027, 1, 1, 0, 30),
        datetime(2026, 6, 1, 12),
    ]


def test_a_date_format_with_a_literal_zone_reads_both_seasons() -> None:
    values = ["2026/01/10 12:00:00 EET", "2026/07/10 12:00:00 EEST"]
    expected = [datetime(2026, 1, 10, 12), datetime(2026, 7, 10, 12)]
    assert read(values, "%Y/%m/%d %H:%M:%S EET") == expected
    assert read(values, "%Y/%m/%d %H:%M:%S %Z") == expected
    twelve = ["2025/02/03 9:15:03 AM GMT+2", "2025/08/03 9:15:03 PM GMT+3"]
    assert read(twelve, "%Y/%m/%d %I:%M:%S %p GMT+2") == [
        datetime(2025, 2, 3, 9, 15, 3),
        datetime(2025, 8, 3, 21, 15, 3),
    ]


@pytest.mark.parametrize(
    ("layout", "expected"),
    [
        ("%Y/%m/%d %H:%M:%S EET", ("%Y/%m/%d %H:%M:%S", True)),
        ("%Y/%m/%d %I:%M:%S %p GMT+2", ("%Y/%m/%d %I:%M:%S %p", True)),
        ("%d.%m.%Y %H:%M %z", ("%d.%m.%Y %H:%M", True)),
        ("%m/%d/%Y %I:%M %p", ("%m/%d/%Y %I:%M %p", False)),
        ("%d.%m.%Y", ("%d.%m.%Y", False)),
    ],
)
def test_split_zone_format(layout: str, expected: tuple[str, bool]) -> None:
    assert split_zone_format(layout) == expected


def test_typeform_utc_and_iso_offsets() -> None:
    assert read(["2026-09-30 20:58:40", "2026-12-31 22:01:05"], zone="UTC") == [
        datetime(2026, 9, 30, 23, 58, 40),
        datetime(2027, 1, 1, 0, 1, 5),
    ]
    assert read(["2026-11-27T10:15:03Z", "2026-11-27T10:15:03.250+02:00"]) == [
        datetime(2026, 11, 27, 12, 15, 3),
        datetime(2026, 11, 27, 10, 15, 3, 250000),
    ]
    # a zone given for naive dates (Qualtrics' ImportId says America/Denver)
    assert read(["2026-11-02 09:03:10"], zone="America/Denver") == [
        datetime(2026, 11, 2, 18, 3, 10)
    ]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Finnish Excel / Microsoft Forms saved as CSV in Finnish, Webropol
        (["3.11.2026 9.12", "27.11.2026 10.15"], [(2026, 11, 3, 9, 12), (2026, 11, 27, 10, 15)]),
        (["02.12.2026 klo 9.15", "1.1.2027 klo 0.05"], [(2026, 12, 2, 9, 15), (2027, 1, 1, 0, 5)]),
        (
            ["2.11.2026 9:02:40", "30.11.2026 23:59:59"],
            [(2026, 11, 2, 9, 2, 40), (2026, 11, 30, 23, 59, 59)],
        ),
        # Swedish Excel, Microsoft Forms and Qualtrics xlsx/ISO
        (["2026-11-02 09:02", "2026-12-31 23:59"], [(2026, 11, 2, 9, 2), (2026, 12, 31, 23, 59)]),
        # English (US) Excel, SurveyMonkey
        (
            ["11/02/2026 09:12:01 AM", "11/28/2026 3:15 PM"],
            [(2026, 11, 2, 9, 12, 1), (2026, 11, 28, 15, 15)],
        ),
        # HappyOrNot's daily report, LimeSurvey
        (["2026-11-02", "2027-01-02"], [(2026, 11, 2), (2027, 1, 2)]),
        # Finnish 12-hour clock (ap./ip.)
        (
            ["1.1.2026 9.15.03 ip.", "2.1.2026 9.15.03 ap."],
            [(2026, 1, 1, 21, 15, 3), (2026, 1, 2, 9, 15, 3)],
        ),
    ],
)
def test_layouts_of_the_tools(values: list[str], expected: list[tuple[int, ...]]) -> None:
    assert read(values) == [datetime(*parts) for parts in expected]


def test_blank_and_unreadable_values_are_none() -> None:
    assert read(["", "  ", "maanantaina", "2026/01/10 12:00:00 XYZ", "3.11.2026 9.12"]) == [
        None,
        None,
        None,
        None,
        datetime(2026, 11, 3, 9, 12),
    ]


def test_day_first_when_a_day_is_over_12() -> None:
    assert best_layout(["03/11/2026", "25/11/2026"]) == "%d/%m/%Y"
    assert best_layout(["03/11/2026", "11/25/2026"]) == "%m/%d/%Y"
    assert best_layout(["hello", "world"]) is None
