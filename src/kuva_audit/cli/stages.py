"""surveys, statements and report: the stages after the audit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kuva_audit.cli.app import (
    AsOfOption,
    ConfigOption,
    LangOption,
    app,
    console,
    date_option,
    fail,
    say,
    user_errors,
)
from kuva_audit.config.loader import LoadedConfig, load_config
from kuva_audit.triage.build import EXIT_FINDINGS


def report_lang(lang: str) -> str:
    if lang not in ("fi", "en"):
        raise fail(f"--lang {lang}: the progress report is in fi or en")
    return lang


@app.command()
@user_errors
def report(
    config: ConfigOption = None,
    as_of: AsOfOption = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(help="Where the report goes [default: reports/ beside services.yaml]"),
    ] = None,
    lang: LangOption = "fi",
) -> None:
    """Goal progress: reports/progress.json, progress.md, progress.html and index.html."""
    from kuva_audit.reports.data import gather
    from kuva_audit.reports.output import write_report

    code = report_lang(lang)
    loaded = load_config(config)
    data = gather(loaded, date_option(as_of, "--as-of"), code, out_dir or loaded.root / "reports")
    a, s = data.progress.accessibility, data.progress.satisfaction
    say(
        f"as of {data.as_of}: accessibility audits {a.done}/{a.total}, "
        f"satisfaction measured {s.done}/{s.total}"
    )
    for path in write_report(data, out_dir or loaded.root / "reports"):
        say(f"wrote {path}")


@app.command()
@user_errors
def surveys(
    config: ConfigOption = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(help="Where the scores go [default: reports/ beside services.yaml]"),
    ] = None,
) -> None:
    """Score the satisfaction survey exports; write reports/satisfaction.json and .csv."""
    loaded = load_config(config)
    for path in score_surveys(loaded, out_dir or loaded.root / "reports"):
        say(f"wrote {path}")


def score_surveys(loaded: LoadedConfig, out_dir: Path) -> list[Path]:
    """Score every survey of the config, print the table, write the outputs; nothing is
    written when an export cannot be read."""
    from kuva_audit.surveys.output import write_outputs
    from kuva_audit.surveys.score import score
    from kuva_audit.surveys.summary import scores_table

    rows, warnings = score(loaded)
    for warning in warnings:
        say(f"warning: {warning}", err=True)
    console.print(scores_table(rows))
    return write_outputs(rows, out_dir)


@app.command()
@user_errors
def statements(
    config: ConfigOption = None,
    service: Annotated[
        list[str] | None, typer.Option("--service", "-s", help="Only this service (repeat)")
    ] = None,
    lang: Annotated[str, typer.Option(help="Languages, comma-separated")] = "fi,sv,en",
    out_dir: Annotated[
        Path | None,
        typer.Option(help="Where statements go [default: statements/ beside services.yaml]"),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Check the published statements instead of writing them"),
    ] = False,
    as_of: Annotated[
        str | None, typer.Option(help="Date for --check's 12-month rule [default: today]")
    ] = None,
) -> None:
    """Write accessibility statements (statements/<service>/<lang>.html and .md), or --check
    that the published ones still match the latest audit (exit 2 when one does not)."""
    from kuva_audit.statements.build import build_statements, statement_services
    from kuva_audit.statements.check import check as check_statements
    from kuva_audit.statements.data import LANGS
    from kuva_audit.statements.render import write_statements

    langs = [code.strip() for code in lang.split(",") if code.strip()]
    if not langs or any(code not in LANGS for code in langs):
        raise fail(f"--lang {lang}: give some of {','.join(LANGS)}, comma-separated")
    loaded = load_config(config)
    chosen = statement_services(loaded, service or [])
    target = out_dir or loaded.root / "statements"
    built = list(build_statements(loaded, chosen, langs, loaded.root / "audits"))
    if check:
        day = date_option(as_of, "--as-of")
        checked, problems = check_statements(built, langs, target, day)
        for problem in problems:
            say(problem)
        if problems:
            say(f"{len(problems)} problem(s) in {checked} statement(s)", err=True)
            raise typer.Exit(EXIT_FINDINGS)
        say(f"all {checked} statement(s) are current as of {day.isoformat()}")
        return
    write_statements(built, target)
    for b in built:
        say(
            f"wrote {target / b.service.id}/ ({', '.join(b.views)}): "
            f"{b.assessment.status} compliant"
        )
