"""Scores per service, period and question, with intervals, change and a roll-up.

A score below ``satisfaction.min_shown`` responses is suppressed (its n is still shown); below
``min_confident`` it is flagged low-confidence. The change from the previous period (the
calendar period before, when it has a shown score) comes with a significance test.

Metrics: ``csat`` the share answering 4-5 (percent), ``nps`` 100*(promoters - detractors)
share, ``ces`` the mean of 1-7, ``smiley`` the mean of 1-4, ``mean`` the mean on the
question's own scale. The roll-up pools every question of one metric across services (for
``mean``, only questions with the same scale) and also gives the unweighted mean of the
services' own shown figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from kuva_audit.config.loader import LoadedConfig
from kuva_audit.config.models import Service
from kuva_audit.config.surveys import SatisfactionSettings, SurveySource
from kuva_audit.surveys import stats
from kuva_audit.surveys.model import RawTable, SurveyError
from kuva_audit.surveys.read import read_export, resolve_column
from kuva_audit.surveys.tally import (
    ALL_PERIODS,
    UNDATED,
    Encoded,
    PeriodTable,
    Tally,
    parse_answers,
    tally,
)

ROLL_UP = "all services"


@dataclass(frozen=True)
class ChangeRow:
    previous_period: str
    delta: float
    low: float
    high: float
    p: float
    significant: bool


@dataclass(frozen=True)
class ScoreRow:
    service: str
    period: str
    question: str
    metric: str
    n: int
    value: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool
    low_confidence: bool
    rejected: dict[str, int]
    scale: tuple[float, float]
    change: ChangeRow | None = None
    services_mean: float | None = None
    """Roll-up rows only: the unweighted mean of the services' shown values."""
    sources: tuple[str, ...] = ()


@dataclass
class _Key:
    service: str
    question: str
    metric: str
    scale: tuple[float, float]
    periods: dict[str, Tally] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


def score(loaded: LoadedConfig, period: str | None = None) -> tuple[list[ScoreRow], list[str]]:
    """Every score row, and warnings (a survey glob that matches no file). ``period``
    overrides ``satisfaction.period`` (the progress report counts responses by month)."""
    config = loaded.config
    settings = config.satisfaction
    if period is not None:
        settings = settings.model_copy(update={"period": period})
    groups: list[_Key] = []
    warnings: list[str] = []
    reads = _Reads()
    for s_index, service in enumerate(config.services):
        for q_index, source in enumerate(service.surveys):
            files = _files(loaded.root, source.file)
            if not files:
                line = loaded.line_of(("services", s_index, "surveys", q_index, "file"))
                warnings.append(
                    f"{loaded.path}:{line}: no file matches {source.file!r} ({service.id})"
                )
            groups.extend(_read_source(service, source, files, settings, reads))
    rows = [row for g in groups for row in _rows(g, settings)]
    rows.extend(_roll_up(groups, rows, settings))
    return rows, warnings


def _files(root: Path, pattern: str) -> list[Path]:
    """Files matching ``pattern``, relative to the folder of services.yaml unless absolute."""
    path = Path(pattern)
    base, relative = (
        (Path(path.anchor), str(path.relative_to(path.anchor)))
        if path.is_absolute()
        else (root, pattern)
    )
    return sorted(p for p in base.glob(relative) if p.is_file())


def _columns(raw: RawTable, source: SurveySource, service: Service) -> dict[str, str]:
    """The frame column of every configured column name (Qualtrics variable names included)."""
    names = [q.column for q in source.questions] + list(source.where or ())
    names += [source.date_column] if source.date_column else []
    found = {}
    for name in names:
        column = resolve_column(raw, name)
        if column is None:
            shown = ", ".join(map(repr, raw.frame.columns[:12]))
            raise SurveyError(
                raw.source,
                f"no column {name!r}",
                row=1,
                remedy=f"fix the column name in services.yaml ({service.id}); the file has: "
                f"{shown}",
            )
        found[name] = column
    return found


class _Reads:
    """Each export is read once per run, and each of its columns encoded once, however many
    services take rows from it."""

    def __init__(self) -> None:
        self._tables: dict[tuple[Path, str, str | None], RawTable] = {}
        self._columns: dict[tuple[Path, str], Encoded] = {}
        self._periods: dict[tuple[Path, str, str, str | None], PeriodTable] = {}

    def table(self, path: Path, source: SurveySource) -> RawTable:
        key = (path.resolve(), source.format, source.id_column)
        if key not in self._tables:
            self._tables[key] = read_export(path, source.format, id_column=source.id_column)
        return self._tables[key]

    def column(self, raw: RawTable, name: str) -> Encoded:
        key = (raw.source.resolve(), name)
        if key not in self._columns:
            self._columns[key] = Encoded.of(raw.frame[name])
        return self._columns[key]

    def periods(
        self, raw: RawTable, column: str, settings: SatisfactionSettings, source: SurveySource
    ) -> PeriodTable:
        key = (raw.source.resolve(), column, settings.period, source.date_format)
        if key not in self._periods:
            self._periods[key] = PeriodTable.of(
                self.column(raw, column), settings.period, source.date_format, raw.source, column
            )
        return self._periods[key]


def _read_source(
    service: Service,
    source: SurveySource,
    files: list[Path],
    settings: SatisfactionSettings,
    reads: _Reads,
) -> list[_Key]:
    keys = {q.column: _Key(service.id, q.column, q.metric, q.scale) for q in source.questions}
    for path in files:
        raw = reads.table(path, source)
        columns = _columns(raw, source, service)
        rows: npt.NDArray[np.intp] | None = None
        if source.where:
            match = np.ones(len(raw.frame), dtype=np.bool_)
            for name, value in source.where.items():
                match &= reads.column(raw, columns[name]).rows_equal(value)
            rows = np.flatnonzero(match)
        date_column = columns.get(source.date_column or "") or raw.date_column
        codes, names = None, ALL_PERIODS
        if date_column:
            table = reads.periods(raw, date_column, settings, source)
            codes, names = table.rows(reads.column(raw, date_column), rows), table.names
        for question in source.questions:
            answers = reads.column(raw, columns[question.column])
            values, reasons = parse_answers(answers, question, rows)
            key = keys[question.column]
            for period, t in tally(values, reasons, codes, names, question.metric).items():
                key.periods[period] = key.periods.get(period, Tally())
                key.periods[period] += t
            key.sources.append(path.name)
            if not source.where:  # in a shared export, dropped rows belong to no one service
                for reason, count in raw.dropped.items():
                    key.periods.setdefault(UNDATED, Tally()).rejected[reason] += count
    return list(keys.values())


def _estimate(metric: str, t: Tally, scale: tuple[float, float]) -> stats.Estimate:
    if metric == "csat":
        return stats.share(t.top, t.n)
    if metric == "nps":
        return stats.nps(t.promoters, t.passives, t.detractors)
    return stats.mean(t.n, t.mean, t.sd, *scale)


def _change(metric: str, now: Tally, before: Tally) -> stats.Change:
    if metric == "csat":
        return stats.share_change(now.top, now.n, before.top, before.n)
    if metric == "nps":
        return stats.nps_change(
            (now.promoters, now.passives, now.detractors),
            (before.promoters, before.passives, before.detractors),
        )
    return stats.mean_change(now.n, now.mean, now.sd, before.n, before.mean, before.sd)


def previous_period(period: str) -> str | None:
    """The calendar period before ``period`` (2026Q1 -> 2025Q4, 2026-01 -> 2025-12)."""
    try:
        return str(pd.Period(period) - 1)
    except (ValueError, TypeError):
        return None


def _scored(
    service: str,
    period: str,
    question: str,
    metric: str,
    scale: tuple[float, float],
    t: Tally,
    settings: SatisfactionSettings,
) -> ScoreRow:
    """A row with its estimate, or suppressed below ``min_shown`` responses."""
    shown = t.n >= settings.min_shown
    estimate = _estimate(metric, t, scale) if shown else None
    return ScoreRow(
        service=service,
        period=period,
        question=question,
        metric=metric,
        n=t.n,
        value=estimate.value if estimate else None,
        ci_low=estimate.low if estimate else None,
        ci_high=estimate.high if estimate else None,
        suppressed=not shown,
        low_confidence=t.n < settings.min_confident,
        rejected=dict(sorted(t.rejected.items())),
        scale=scale,
    )


def _rows(key: _Key, settings: SatisfactionSettings) -> Iterable[ScoreRow]:
    for period in sorted(key.periods):
        t = key.periods[period]
        row = _scored(key.service, period, key.question, key.metric, key.scale, t, settings)
        change = None
        before_name = previous_period(period)
        before = key.periods.get(before_name) if before_name else None
        if not row.suppressed and before is not None and before.n >= settings.min_shown:
            c = _change(key.metric, t, before)
            change = ChangeRow(str(before_name), c.delta, c.low, c.high, c.p, c.significant)
        yield replace(row, change=change, sources=tuple(dict.fromkeys(key.sources)))


def _roll_up(
    groups: list[_Key], rows: list[ScoreRow], settings: SatisfactionSettings
) -> Iterable[ScoreRow]:
    pooled: dict[tuple[str, tuple[float, float], str], Tally] = defaultdict(Tally)
    for key in groups:
        for period, t in key.periods.items():
            if period != UNDATED:
                pooled[(key.metric, key.scale, period)] += t
    shown: dict[tuple[str, tuple[float, float], str], list[float]] = defaultdict(list)
    for r in rows:
        if r.value is not None:
            shown[(r.metric, r.scale, r.period)].append(r.value)
    for (metric, scale, period), t in sorted(pooled.items()):
        if not t.n:
            continue
        values = shown[(metric, scale, period)]
        row = _scored(ROLL_UP, period, f"all {metric} questions", metric, scale, t, settings)
        yield replace(row, services_mean=sum(values) / len(values) if values else None)
