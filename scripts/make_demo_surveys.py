"""Generate the demo's sample survey exports (src/kuva_audit/demo/surveys/), one tool each.

    python scripts/make_demo_surveys.py

Deterministic (fixed seed); the files are committed. Each mimics a real tool's export:
kukkuu a Finnish Excel CSV (cp1252, ';', decimal commas), kultus a Google Forms CSV in Finnish
with text answers, tapahtumat a SurveyMonkey CSV (two header rows), venepaikat a Microsoft
Forms workbook in English, ahti a Qualtrics CSV (three header rows, unfinished responses and
a duplicate response id). Sizes differ on purpose: shown, low-confidence and suppressed scores.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).resolve().parents[1] / "src" / "kuva_audit" / "demo" / "surveys"
RNG = random.Random(2020)
CSAT_FI = [
    "Erittäin tyytymätön",
    "Tyytymätön",
    "En tyytyväinen enkä tyytymätön",
    "Tyytyväinen",
    "Erittäin tyytyväinen",
]
FEEDBACK = [
    "Kiitos, lapset viihtyivät!",
    'Opas oli "tosi hyvä", kiitos.',
    "Parkkipaikkoja oli vähän;\nmuuten hyvä.",
    "",
    "",
    "Lisää tällaista, kiitos",
]


def when(start: dt.date, days: int) -> dt.datetime:
    day = start + dt.timedelta(days=RNG.randrange(days))
    return dt.datetime.combine(
        day, dt.time(RNG.randrange(8, 20), RNG.randrange(60), RNG.randrange(60))
    )


def weighted(low: int, high: int, bias: float) -> int:
    return min(high, max(low, round(RNG.triangular(low, high, low + bias * (high - low)))))


def kukkuu() -> None:
    path = OUT / "kukkuu" / "palaute-2026.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for start, count, bias in ((dt.date(2026, 7, 1), 40, 0.6), (dt.date(2026, 10, 1), 45, 0.85)):
        for _ in range(count):
            grade = weighted(14, 20, bias) / 2  # 7-10 in half grades
            rows.append(
                [
                    when(start, 80).strftime("%d.%m.%Y %H.%M"),
                    "Kulttuurin kummilapset",
                    str(weighted(1, 5, bias)),
                    f"{grade:.1f}".replace(".", ","),
                    RNG.choice(FEEDBACK),
                ]
            )
    rows[3][2] = ""  # a blank answer
    rows[7][2] = "6"  # out of range
    with path.open("w", encoding="cp1252", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(
            [
                "Vastausaika",
                "Palvelu",
                "Kuinka tyytyväinen olit palveluun?",
                "Anna kouluarvosana",
                "Vapaa palaute",
            ]
        )
        writer.writerows(rows)


def kultus() -> None:
    path = OUT / "kultus" / "google-forms-vastaukset.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(
            [
                "Aikaleima",
                "Kuinka tyytyväinen olit palveluun?",
                "Kuinka todennäköisesti suosittelisit Kultusta kollegallesi?",
                "Mitä kehittäisit?",
            ]
        )
        for _ in range(25):
            writer.writerow(
                [
                    when(dt.date(2026, 10, 1), 85).strftime("%d.%m.%Y %H.%M.%S"),
                    CSAT_FI[weighted(0, 4, 0.8)],
                    str(weighted(0, 10, 0.8)),
                    RNG.choice(FEEDBACK),
                ]
            )


def tapahtumat() -> None:
    path = OUT / "tapahtumat" / "surveymonkey-export.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    ids = [
        "Respondent ID",
        "Collector ID",
        "Start Date",
        "End Date",
        "IP Address",
        "Email Address",
        "First Name",
        "Last Name",
        "Custom Data 1",
    ]
    question = "Kuinka tyytyväinen olit tapahtumaan?"
    channels = "Mistä kuulit tapahtumasta?"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([*ids, question, channels, "", ""])
        writer.writerow([""] * len(ids) + ["Response", "Some", "Instagram", "Muu (tarkenna)"])
        for n in range(35):
            end = when(dt.date(2026, 10, 1), 85)
            writer.writerow(
                [
                    str(11400000 + n),
                    "4123456",
                    (end - dt.timedelta(minutes=3)).strftime("%m/%d/%Y %I:%M:%S %p"),
                    end.strftime("%m/%d/%Y %I:%M:%S %p"),
                    "",
                    "",
                    "",
                    "",
                    "",
                    str(weighted(1, 5, 0.7)),
                    RNG.choice(["Some", ""]),
                    RNG.choice(["Instagram", ""]),
                    "",
                ]
            )


def venepaikat() -> None:
    path = OUT / "venepaikat" / "berth-feedback.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(
        [
            "Id",
            "Start time",
            "Completion time",
            "Email",
            "Name",
            "How easy was it to renew your berth?",
            "How likely are you to recommend the berth service to a friend?",
        ]
    )
    for n in range(3):
        end = when(dt.date(2026, 10, 1), 60)
        sheet.append(
            [
                n + 1,
                end - dt.timedelta(minutes=2),
                end,
                "anonymous",
                "",
                weighted(1, 7, 0.7),
                weighted(0, 10, 0.6),
            ]
        )
    book.save(path)


def ahti() -> None:
    path = OUT / "ahti" / "qualtrics-export.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = [
        "StartDate",
        "EndDate",
        "Status",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "ResponseId",
        "UserLanguage",
    ]
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([*meta, "Q1", "Q2"])
        writer.writerow(
            [
                "Start Date",
                "End Date",
                "Response Type",
                "Progress",
                "Duration (in seconds)",
                "Finished",
                "Recorded Date",
                "Response ID",
                "User Language",
                "Miltä käynti tuntui?",
                "Kuinka todennäköisesti suosittelisit Ahtia ystävällesi?",
            ]
        )
        writer.writerow(
            [
                f'{{"ImportId":"{m}"}}'
                for m in (
                    "startDate",
                    "endDate",
                    "status",
                    "progress",
                    "duration",
                    "finished",
                    "recordedDate",
                    "_recordId",
                    "userLanguage",
                )
            ]
            + ['{"ImportId":"QID1"}', '{"ImportId":"QID2"}']
        )
        for n in range(34):
            end = when(dt.date(2026, 10, 1), 85)
            finished = n not in (5, 17, 29)
            stamp = end.strftime("%Y-%m-%d %H:%M:%S")
            writer.writerow(
                [
                    stamp,
                    stamp,
                    "0",
                    "100" if finished else "40",
                    "95",
                    "1" if finished else "0",
                    stamp,
                    f"R_demo{n:04d}",
                    "FI",
                    str(weighted(1, 4, 0.75)),
                    str(weighted(0, 10, 0.75)),
                ]
            )
        writer.writerow([stamp, stamp, "0", "100", "95", "1", stamp, "R_demo0003", "FI", "4", "9"])


if __name__ == "__main__":
    for make in (kukkuu, kultus, tapahtumat, venepaikat, ahti):
        make()
