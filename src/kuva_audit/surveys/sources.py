"""One configured survey source (a glob of exports) into tallies per question and period.

Each export is read once per run (however many services take rows from it); its configured
columns are resolved (names trimmed, Qualtrics variable names, matrix questions expanded into
their statements), its rows selected (``where``), dated (periods in Europe/Helsinki), weighted
(``weight``, ``counts``) and tallied. Also the respondent sums roll-ups need, and warnings.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from kuva_audit.config.models import Service
from kuva_audit.config.surveys import Question, SatisfactionSettings, SurveySource
from kuva_audit.surveys.dates import best_layout
from kuva_audit.surveys.entry import UNDATED
from kuva_audit.surveys.layouts import column_hint, guess_date_column
from kuva_audit.surveys.metrics import METRICS
from kuva_audit.surveys.model import RawTable, SurveyError
from kuva_audit.surveys.read import read_export, resolve_column
from kuva_audit.surveys.tally import (
    ALL_PERIODS,
    BAD_COUNT,
    REASONS,
    Encoded,
    PeriodTable,
    Respondents,
    Tally,
    parse_answers,
    parse_counts,
    respondents,
    tally,
)

GroupKey = tuple[str, tuple[float, float], str]
"""(metric, scale, period): the rows one roll-up pools."""

_DATE_LIKE = re.compile(r"\d{1,4}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{1,4}")


@dataclass
class Key:
    """One scored question of one service: its tallies per period and their sources."""

    service: str
    question: str
    metric: str
    scale: tuple[float, float]
    periods: dict[str, Tally] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)

    def add(self, period: str, t: Tally) -> None:
        self.periods[period] = self.periods.get(period, Tally())
        self.periods[period] += t


@dataclass
class SourceScores:
    """What a source contributes: question tallies, respondent sums per roll-up, warnings."""

    keys: list[Key] = field(default_factory=list)
    respondents: dict[GroupKey, Respondents] = field(
        default_factory=lambda: defaultdict(Respondents)
    )
    warnings: list[str] = field(default_factory=list)


class Reads:
    """Each export is read once per run, and each of its columns encoded once, however many
    services take rows from it."""

    def __init__(self) -> None:
        self._tables: dict[tuple[object, ...], RawTable] = {}
        self._columns: dict[tuple[Path, str], Encoded] = {}
        self._periods: dict[tuple[object, ...], PeriodTable] = {}

    def table(self, path: Path, source: SurveySource) -> RawTable:
        key = (
            path.resolve(),
            source.format,
            source.id_column,
            source.header_row,
            source.complete_only,
        )
        if key not in self._tables:
            self._tables[key] = read_export(
                path,
                source.format,
                id_column=source.id_column,
                header_row=source.header_row,
                complete_only=source.complete_only,
            )
        return self._tables[key]

    def column(self, raw: RawTable, name: str) -> Encoded:
        key = (raw.source.resolve(), name)
        if key not in self._columns:
            self._columns[key] = Encoded.of(raw.frame[name])
        return self._columns[key]

    def periods(
        self,
        raw: RawTable,
        column: str,
        settings: SatisfactionSettings,
        source: SurveySource,
    ) -> PeriodTable:
        zone = source.time_zone or (raw.time_zone if column == raw.date_column else None)
        key = (raw.source.resolve(), column, settings.period, source.date_format, zone)
        if key not in self._periods:
            self._periods[key] = PeriodTable.of(
                self.column(raw, column),
                settings.period,
                source.date_format,
                zone,
                (raw.source, column, raw.frame.index),
            )
        return self._periods[key]


class OutsideRoot(ValueError):
    """A relative survey glob that reaches outside the folder of services.yaml."""


def files_of(root: Path, pattern: str) -> list[Path]:
    """Files matching ``pattern``: an absolute path as written (on purpose), anything else
    relative to the folder of services.yaml and confined to it (``..`` or a link leading out
    raises :class:`OutsideRoot`)."""
    path = Path(pattern)
    if path.is_absolute():
        base, relative = Path(path.anchor), str(path.relative_to(path.anchor))
        return sorted(p for p in base.glob(relative) if p.is_file())
    if ".." in path.parts:
        raise OutsideRoot(pattern)
    inside = root.resolve()
    found = sorted(p for p in root.glob(pattern) if p.is_file())
    if any(not p.resolve().is_relative_to(inside) for p in found):
        raise OutsideRoot(pattern)
    return found


def _column(raw: RawTable, name: str, service: Service) -> str:
    column = resolve_column(raw, name)
    if column is None:
        raise _no_column(raw, name, service)
    return column


def _no_column(raw: RawTable, name: str, service: Service) -> SurveyError:
    names = [str(c) for c in raw.frame.columns]
    lower = _row_naming(raw, name)
    where = (
        f"the file has it on row {lower}, below the header found: set header_row: {lower} "
        f"in services.yaml ({service.id})"
        if lower is not None
        else f"fix the column name in services.yaml ({service.id})"
    )
    return SurveyError(
        raw.source,
        f"no column {name!r}",
        row=int(raw.frame.attrs.get("header_row", 1)),
        remedy=f"{where}; " + column_hint(name, names + list(raw.groups)),
    )


def _row_naming(raw: RawTable, name: str) -> int | None:
    """The row among the first ones that has ``name`` as a cell: the real header row, when a
    title block above it was taken for the header."""
    wanted = " ".join(name.split()).casefold()
    for number, row in raw.frame.head(30).iterrows():
        cells = {" ".join(str(cell).split()).casefold() for cell in row if isinstance(cell, str)}
        if wanted in cells:
            return int(str(number))
    return None


@dataclass(frozen=True)
class _Answers:
    """One scored column of one export: its answers (NaN: rejected) and their tallies."""

    values: npt.NDArray[np.float64]
    tallies: dict[str, Tally]


@dataclass(frozen=True)
class _Asked:
    """A configured question as found in one export: one column per scored question (a
    matrix question gives one per statement), or count columns and the answer each counts."""

    question: Question
    columns: list[str]
    counts: dict[str, float]
    matrix: bool = False
    """Its columns are a matrix question's statements, each scored under its own name."""


def _asked(raw: RawTable, question: Question, service: Service) -> _Asked:
    if question.column is not None:
        column = resolve_column(raw, question.column)
        if column is not None:
            return _Asked(question, [column], {})
        statements = raw.groups.get(question.column)
        if statements is None:
            wanted = " ".join(question.column.split()).casefold()
            matches = [g for g in raw.groups if " ".join(g.split()).casefold() == wanted]
            statements = raw.groups[matches[0]] if len(matches) == 1 else None
        if not statements:
            raise _no_column(raw, question.column, service)
        return _Asked(question, statements, {}, matrix=True)
    counts = question.counts or raw.counts
    if not counts:
        raise SurveyError(
            raw.source,
            f"a {question.metric} question without a column",
            remedy=f"give its column (or counts: the count column of each answer) in "
            f"services.yaml ({service.id})",
        )
    lo, hi = question.scale
    for name, value in counts.items():
        if not lo <= value <= hi:
            raise SurveyError(
                raw.source,
                f"counts give {name!r} the answer {value:g}, outside the {question.metric} "
                f"scale {lo:g}-{hi:g}",
                remedy=f"fix counts in services.yaml ({service.id})",
            )
    return _Asked(question, [], {_column(raw, name, service): v for name, v in counts.items()})


def read_source(
    service: Service,
    source: SurveySource,
    files: list[Path],
    settings: SatisfactionSettings,
    reads: Reads,
) -> SourceScores:
    out = SourceScores()
    keys: dict[str, Key] = {}
    for path in files:
        raw = reads.table(path, source)
        asked = [_asked(raw, q, service) for q in source.questions]
        rows = _selected(raw, source, service, reads)
        date_column = _date_column(raw, source, service, out.warnings)
        codes, names = None, ALL_PERIODS
        if date_column:
            table = reads.periods(raw, date_column, settings, source)
            codes, names = table.rows(reads.column(raw, date_column), rows), table.names
        weights, bad = _weights(raw, source, service, rows, reads)
        units: dict[tuple[str, tuple[float, float]], list[_Answers]] = defaultdict(list)
        for one in asked:
            q = one.question
            for column in one.columns:
                values, reasons = parse_answers(reads.column(raw, column), q, rows)
                if bad is not None:
                    values[bad] = np.nan
                    reasons[bad] = REASONS.index(BAD_COUNT)
                label = column if one.matrix else (q.label or column)
                key = keys.setdefault(label, Key(service.id, label, q.metric, q.scale))
                tallies = tally(values, reasons, codes, names, q.metric, weights)
                for period, t in tallies.items():
                    key.add(period, t)
                units[(q.metric, q.scale)].append(_Answers(values, tallies))
                key.sources.append(path.name)
            if one.counts:
                label = q.label or " / ".join(one.counts)
                key = keys.setdefault(label, Key(service.id, label, q.metric, q.scale))
                for period, t in _count_tallies(raw, one, rows, codes, names, weights, reads):
                    key.add(period, t)
                    if period != UNDATED and t.n:
                        out.respondents[(q.metric, q.scale, period)] += Respondents.single(
                            t, q.metric
                        )
                key.sources.append(path.name)
        for (metric, scale), answered in units.items():
            for period, r in _respondents(metric, answered, codes, names, weights).items():
                out.respondents[(metric, scale, period)] += r
        if not source.where:  # in a shared export, dropped rows belong to no one service
            for key in keys.values():
                for reason, count in raw.dropped.items():
                    key.periods.setdefault(UNDATED, Tally()).rejected[reason] += count
    out.keys = list(keys.values())
    return out


def _respondents(
    metric: str,
    answered: list[_Answers],
    codes: npt.NDArray[np.intp] | None,
    names: list[str],
    weights: npt.NDArray[np.float64] | None,
) -> dict[str, Respondents]:
    """Respondent sums of the questions of one roll-up answered in one export."""
    if len(answered) == 1:  # one answer a respondent: the tallies say it all
        return {
            period: Respondents.single(t, metric)
            for period, t in answered[0].tallies.items()
            if period != UNDATED and t.n
        }
    arrays = [METRICS[metric].unit_values(a.values) for a in answered]
    return respondents(arrays, codes, names, weights)


def _selected(
    raw: RawTable, source: SurveySource, service: Service, reads: Reads
) -> npt.NDArray[np.intp] | None:
    if not source.where:
        return None
    match = np.ones(len(raw.frame), dtype=np.bool_)
    for name, value in source.where.items():
        match &= reads.column(raw, _column(raw, name, service)).rows_equal(value)
    return np.flatnonzero(match)


def _weights(
    raw: RawTable,
    source: SurveySource,
    service: Service,
    rows: npt.NDArray[np.intp] | None,
    reads: Reads,
) -> tuple[npt.NDArray[np.float64] | None, npt.NDArray[np.bool_] | None]:
    if source.weight is None:
        return None, None
    weights, bad = parse_counts(reads.column(raw, _column(raw, source.weight, service)), rows)
    return weights, bad


def _count_tallies(
    raw: RawTable,
    one: _Asked,
    rows: npt.NDArray[np.intp] | None,
    codes: npt.NDArray[np.intp] | None,
    names: list[str],
    weights: npt.NDArray[np.float64] | None,
    reads: Reads,
) -> list[tuple[str, Tally]]:
    """Tallies of an export of counts: each count column's cells are that many answers of
    its value (times the row's ``weight``, if any)."""
    found: list[tuple[str, Tally]] = []
    for column, value in one.counts.items():
        counts, bad = parse_counts(reads.column(raw, column), rows)
        if weights is not None:
            counts = counts * weights
        values = np.where(bad, np.nan, value)
        reasons = np.where(bad, REASONS.index(BAD_COUNT), -1).astype(np.int8)
        found.extend(tally(values, reasons, codes, names, one.question.metric, counts).items())
    return found


def _date_column(
    raw: RawTable, source: SurveySource, service: Service, warnings: list[str]
) -> str | None:
    """The configured date column, else the tool's, else one named like a response date
    (with a warning naming it); a warning when the export is scored undated though it has
    dates."""
    if source.date_column:
        return _column(raw, source.date_column, service)
    if raw.date_column:
        return raw.date_column
    names = [str(c) for c in raw.frame.columns]
    guessed = guess_date_column(names)
    if guessed is not None and _looks_like_dates(raw, guessed):
        warnings.append(
            f"{raw.source}: dated by its column {guessed!r} (no date_column in services.yaml "
            f"for {service.id}); set date_column to confirm or choose another"
        )
        return guessed
    dated = [name for name in names if _looks_like_dates(raw, name)]
    if raw.dated or dated:
        found = f"its column {dated[0]!r} holds dates" if dated else "its dates were not found"
        warnings.append(
            f"{raw.source}: scored as one period 'all' ({raw.tool} export; {found}); set "
            f"date_column in services.yaml ({service.id}) to score it by period"
        )
    return None


def _looks_like_dates(raw: RawTable, column: str) -> bool:
    """Whether most of the first distinct values of a column read as dates."""
    values = raw.frame[column].dropna().drop_duplicates().head(50)
    texts = [str(v) for v in values if _DATE_LIKE.search(str(v))]
    if not texts or len(texts) * 10 < len(values) * 9:
        return False
    return best_layout(texts) is not None
