"""Scores per service, period and question, with intervals, change and a roll-up.

A score below ``satisfaction.min_shown`` answers is suppressed (its n is still shown); below
``min_confident`` it is flagged low-confidence, and a change is never called significant. The
change from the previous period (the calendar period before, when it has a shown score) comes
with a test (stats.py names it).

Metrics: ``csat`` the share answering 4-5 (percent), ``nps`` 100*(promoters - detractors)
share, ``ces`` the mean of 1-7, ``smiley`` the mean of 1-4, ``mean`` the mean on the
question's own scale.

Roll-up rows (``service: all services``), one per metric (for ``mean``, per scale) and period:
the pooled figure of every answer, whose ``n`` counts respondents (``answers`` the answers:
one person may answer two CSAT questions) and whose interval uses the respondents'
effective sample size; it is suppressed when it would reveal a suppressed row (privacy.py).
``services_mean`` is the unweighted mean of the services' figures, each service's figure
being the mean of its shown question figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from kuva_audit.config.loader import LoadedConfig
from kuva_audit.config.surveys import SatisfactionSettings
from kuva_audit.surveys.entry import ROLL_UP, UNDATED
from kuva_audit.surveys.metrics import METRICS
from kuva_audit.surveys.model import SurveyError
from kuva_audit.surveys.privacy import pooled_is_safe
from kuva_audit.surveys.sources import (
    GroupKey,
    Key,
    OutsideRoot,
    Reads,
    files_of,
    read_source,
)
from kuva_audit.surveys.tally import (
    ALL_PERIODS,
    PERIOD_CODES,
    Respondents,
    Tally,
)

FEW_ANSWERS = "fewer answers than min_shown"
COMPLEMENTARY = "complementary: it would reveal a suppressed score"


@dataclass(frozen=True)
class ChangeRow:
    previous_period: str
    delta: float
    low: float
    high: float
    p: float
    significant: bool | None
    """p < 0.05; None (not shown) when either period has fewer than min_confident answers."""
    test: str = ""
    """The test behind p (``pooled z``, ``fisher exact``, ``wald z``, ``welch t``...)."""


@dataclass(frozen=True)
class ScoreRow:
    service: str
    period: str
    question: str
    metric: str
    n: int
    """Respondents: answers of a question row; distinct respondents of a roll-up row."""
    value: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool
    low_confidence: bool
    rejected: dict[str, int]
    scale: tuple[float, float]
    change: ChangeRow | None = None
    services_mean: float | None = None
    """Roll-up rows only: the unweighted mean of the services' figures (each service's
    figure the mean of its shown question figures)."""
    sources: tuple[str, ...] = ()
    answers: int | None = None
    """Answers behind the figure (a roll-up pools answers; ``n`` counts respondents)."""
    services_shown: int | None = None
    """Roll-up rows only: how many services' figures ``services_mean`` averages."""
    suppressed_reason: str | None = None
    interval: str = ""
    """How the interval was computed (``wilson``, ``wald``, ``adjusted wald``, ``t``...)."""


def score(loaded: LoadedConfig, period: str | None = None) -> tuple[list[ScoreRow], list[str]]:
    """Every score row, and warnings (a survey glob that matches no file, an export scored
    without dates). ``period`` overrides ``satisfaction.period`` (the progress report counts
    responses by month)."""
    surveys = read_surveys(loaded)
    return surveys.scores(period), surveys.warnings


@dataclass(frozen=True)
class Surveys:
    """Every configured survey read and tallied once, by calendar month: the scores of any
    period (month, quarter, year) are derived from these tallies, so a report that needs
    two periods reads and tallies the exports once."""

    keys: list[Key]
    people: dict[GroupKey, Respondents]
    warnings: list[str]
    settings: SatisfactionSettings

    def scores(self, period: str | None = None) -> list[ScoreRow]:
        """Every score row by ``period`` (default: ``satisfaction.period``)."""
        settings = self.settings
        if period is not None:
            settings = settings.model_copy(update={"period": period})
        keys, people = by_period(self.keys, self.people, settings.period)
        rows = [row for key in keys for row in _rows(key, settings)]
        rows.extend(_roll_up(keys, rows, people, settings))
        return rows


def read_surveys(loaded: LoadedConfig) -> Surveys:
    """Every configured survey source, read and tallied by month (see ``Surveys``)."""
    config = loaded.config
    by_month = config.satisfaction.model_copy(update={"period": "month"})
    keys: list[Key] = []
    people: dict[GroupKey, Respondents] = defaultdict(Respondents)
    warnings: list[str] = []
    reads = Reads()
    for s_index, service in enumerate(config.services):
        for q_index, source in enumerate(service.surveys):
            loc = ("services", s_index, "surveys", q_index, "file")
            try:
                files = files_of(loaded.root, source.file)
            except OutsideRoot:
                raise loaded.error(
                    loc,
                    f"{source.file!r} reaches outside the folder of services.yaml "
                    f"({loaded.root}); move the exports under it, or write an absolute path "
                    "if that is on purpose",
                ) from None
            if not files:
                if not source.optional:
                    raise loaded.error(
                        loc,
                        f"no file matches {source.file!r} ({service.id}); fix the path, or "
                        "add `optional: true` to this survey entry if its exports come later",
                    )
                line = loaded.line_of(loc)
                warnings.append(
                    f"{loaded.path}:{line}: no file matches {source.file!r} ({service.id})"
                )
            try:
                found = read_source(service, source, files, by_month, reads)
            except SurveyError as exc:
                raise _confined(exc, loaded.root) from None
            keys.extend(found.keys)
            for group, r in found.respondents.items():
                people[group] += r
            warnings.extend(w for w in found.warnings if w not in warnings)
    return Surveys(keys, dict(people), warnings, config.satisfaction)


def _coarser(month: str, period: str) -> str:
    """The ``period`` (quarter, year) a month label (``2026-03``) falls in: ``2026Q1``,
    ``2026``; the pseudo-periods (undated, all) stay as they are."""
    if period == "month" or month in (UNDATED, *ALL_PERIODS):
        return month
    return str(pd.Period(month, "M").asfreq(PERIOD_CODES[period]))


def by_period(
    keys: list[Key], people: dict[GroupKey, Respondents], period: str
) -> tuple[list[Key], dict[GroupKey, Respondents]]:
    """Monthly tallies and respondent sums summed into ``period``: every sum is over rows,
    and each row has one date, so the sums of its months are the period's own."""
    if period == "month":
        return keys, people
    names: dict[str, str] = {}

    def name(month: str) -> str:
        if month not in names:
            names[month] = _coarser(month, period)
        return names[month]

    merged = []
    for key in keys:
        into = Key(key.service, key.question, key.metric, key.scale, sources=list(key.sources))
        for month, t in key.periods.items():
            into.add(name(month), t)
        merged.append(into)
    crowd: dict[GroupKey, Respondents] = defaultdict(Respondents)
    for (metric, scale, month), r in people.items():
        crowd[(metric, scale, name(month))] += r
    return merged, dict(crowd)


def _confined(exc: SurveyError, root: Path) -> SurveyError:
    """``exc`` as shown: an error about a file outside the folder of services.yaml (an
    absolute path) names the file and the row but shows none of its content."""
    inside = root.resolve()
    if exc.path.resolve().is_relative_to(inside):
        return exc
    where = f", row {exc.row}" if exc.row is not None else ""
    return SurveyError(
        exc.path,
        f"cannot be scored as configured{where} (its content is not shown: the file is "
        f"outside {inside})",
        remedy="check the file and its survey entry",
    )


def previous_period(period: str) -> str | None:
    """The calendar period before ``period`` (2026Q1 -> 2025Q4, 2026-01 -> 2025-12)."""
    try:
        return str(pd.Period(period) - 1)
    except (ValueError, TypeError):
        return None


def _scored(
    key: Key,
    period: str,
    t: Tally,
    settings: SatisfactionSettings,
) -> ScoreRow:
    """A question row with its estimate, or suppressed below ``min_shown`` answers."""
    shown = t.n >= settings.min_shown
    estimate = METRICS[key.metric].estimate(t, key.scale) if shown else None
    return ScoreRow(
        service=key.service,
        period=period,
        question=key.question,
        metric=key.metric,
        n=t.n,
        value=estimate.value if estimate else None,
        ci_low=estimate.low if estimate else None,
        ci_high=estimate.high if estimate else None,
        suppressed=not shown,
        low_confidence=t.n < settings.min_confident,
        rejected=dict(sorted(t.rejected.items())),
        scale=key.scale,
        sources=tuple(dict.fromkeys(key.sources)),
        answers=t.n,
        suppressed_reason=None if shown or period == UNDATED else FEW_ANSWERS,
        interval=estimate.method if estimate else "",
    )


def _rows(key: Key, settings: SatisfactionSettings) -> Iterable[ScoreRow]:
    for period in sorted(key.periods):
        t = key.periods[period]
        row = _scored(key, period, t, settings)
        before_name = previous_period(period)
        before = key.periods.get(before_name) if before_name else None
        if row.suppressed or before is None or before.n < settings.min_shown:
            yield row
            continue
        c = METRICS[key.metric].change(t, before)
        confident = min(t.n, before.n) >= settings.min_confident
        yield replace(
            row,
            change=ChangeRow(
                str(before_name),
                c.delta,
                c.low,
                c.high,
                c.p,
                c.significant if confident else None,
                c.method,
            ),
        )


def effective_size(metric: str, pooled: Tally, people: Respondents) -> float | None:
    """The effective number of independent answers behind a pooled figure (None: all its
    answers are from different respondents, so n itself).

    Kish's design effect of the respondents (clusters): deff = sum_i (Y_i - p M_i)^2 /
    sum_j (a_j - p)^2, with a_j the unit values of the answers, p their mean, and M_i, Y_i
    the number and sum of respondent i's answers; n_eff = n / deff, at most n. A unanimous
    group (no spread) counts its respondents.
    """
    if people.count >= pooled.n or pooled.n == 0:
        return None
    n = float(pooled.n)
    m = METRICS[metric]
    p = m.unit_sum(pooled) / n
    answers = m.unit_square_sum(pooled) - 2 * p * m.unit_sum(pooled) + p * p * n
    clustered = people.yy - 2 * p * people.ym + p * p * people.mm
    if answers <= 1e-9 * n:
        return max(min(people.count, n), 1.0)
    if clustered <= 0.0:
        return n
    return max(min(n, n * answers / clustered), 1.0)


def _roll_up(
    keys: list[Key],
    rows: list[ScoreRow],
    people: dict[GroupKey, Respondents],
    settings: SatisfactionSettings,
) -> Iterable[ScoreRow]:
    parts: dict[GroupKey, list[tuple[Tally, bool]]] = defaultdict(list)
    pooled: dict[GroupKey, Tally] = defaultdict(Tally)
    for key in keys:
        for period, t in key.periods.items():
            if period != UNDATED:
                group = (key.metric, key.scale, period)
                pooled[group] += t
                if t.n:
                    parts[group].append((t, t.n >= settings.min_shown))
    by_service: dict[GroupKey, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        if r.value is not None and r.service != ROLL_UP:
            by_service[(r.metric, r.scale, r.period)][r.service].append(r.value)
    for group, t in sorted(pooled.items()):
        if not t.n:
            continue
        metric, scale, period = group
        crowd = people.get(group, Respondents())
        n = round(crowd.count) if crowd.count else t.n
        services = [sum(v) / len(v) for v in by_service[group].values()]
        safe = pooled_is_safe(parts[group], metric, scale, settings.min_shown)
        shown = n >= settings.min_shown and safe
        estimate = (
            METRICS[metric].estimate(t, scale, effective_size(metric, t, crowd)) if shown else None
        )
        reason = None if shown else (COMPLEMENTARY if n >= settings.min_shown else FEW_ANSWERS)
        question = f"all {metric} questions"
        if metric == "mean":
            question += f" ({scale[0]:g}-{scale[1]:g})"
        yield ScoreRow(
            service=ROLL_UP,
            period=period,
            question=question,
            metric=metric,
            n=n,
            value=estimate.value if estimate else None,
            ci_low=estimate.low if estimate else None,
            ci_high=estimate.high if estimate else None,
            suppressed=not shown,
            low_confidence=n < settings.min_confident,
            rejected=dict(sorted(t.rejected.items())),
            scale=scale,
            services_mean=sum(services) / len(services) if services else None,
            answers=t.n,
            services_shown=len(services),
            suppressed_reason=reason,
            interval=estimate.method if estimate else "",
        )
