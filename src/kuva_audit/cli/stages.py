"""surveys, statements and report: the stages after the audit."""

from __future__ import annotations

import datetime as dt
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
from kuva_audit.locks import output_locks
from kuva_audit.triage.build import EXIT_FINDINGS
from kuva_audit.words import count
from kuva_audit.writable import check_output_dir


def report_lang(lang: str) -> str:
    if lang not in ("fi", "sv", "en"):
        raise fail(f"--lang {lang}: the progress report is in fi, sv or en")
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
    check_output_dir("--out-dir", out_dir or loaded.root / "reports")
    data = gather(loaded, date_option(as_of, "--as-of"), code, out_dir or loaded.root / "reports")
    a, s = data.progress.accessibility, data.progress.satisfaction
    say(
        f"as of {data.as_of}: accessibility audits {a.done}/{a.total}, "
        f"satisfaction measured {s.done}/{s.total}"
    )
    with output_locks(out_dir or loaded.root / "reports"):
        for path in write_report(data, out_dir or loaded.root / "reports"):
            say(f"wrote {path}")
    say(f"open the front page: {(out_dir or loaded.root / 'reports').resolve() / 'index.html'}")


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
    check_output_dir("--out-dir", out_dir or loaded.root / "reports")
    if not any(s.surveys for s in loaded.config.services):
        say(f"no service of {loaded.path} has surveys: the score files are empty")
    with output_locks(out_dir or loaded.root / "reports"):
        for path in score_surveys(loaded, out_dir or loaded.root / "reports"):
            say(f"wrote {path}")


def score_surveys(loaded: LoadedConfig, out_dir: Path, *, table: bool = True) -> list[Path]:
    """Score every survey of the config, print the table (when ``table`` and there are
    surveys), write the outputs; nothing is written when an export cannot be read."""
    from kuva_audit.surveys.output import write_scores
    from kuva_audit.surveys.score import score
    from kuva_audit.surveys.summary import scores_table

    rows, warnings = score(loaded)
    for warning in warnings:
        say(f"warning: {warning}", err=True)
    if table and any(s.surveys for s in loaded.config.services):
        console.print(scores_table(rows))
    return write_scores(rows, out_dir)


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
        typer.Option(help="Statements folder [default: statements/ beside services.yaml]"),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Check the published statements instead of writing drafts"),
    ] = False,
    publish: Annotated[
        list[str] | None,
        typer.Option(
            "--publish", help="Publish this service's reviewed draft (repeat; needs --by)"
        ),
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Who reviewed and publishes (with --publish)")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(help="Date of the drafts, of publishing, or of --check [default: today]"),
    ] = None,
) -> None:
    """Write statement drafts of every service (statements/drafts/<service>/<lang>.html and
    .md); --publish a reviewed draft (statements/published/); or --check that the published
    ones still match the latest audit (exit 2 when one does not)."""
    from kuva_audit.statements.build import (
        build_statements,
        judge_statements,
        override_errors,
        statement_services,
    )
    from kuva_audit.statements.check import check as check_statements
    from kuva_audit.statements.data import LANGS
    from kuva_audit.statements.publish import PublishError
    from kuva_audit.statements.publish import publish as publish_statements
    from kuva_audit.statements.render import edition_dir, write_edition
    from kuva_audit.statements.state import short_state
    from kuva_audit.statements.validate import statement_warnings
    from kuva_audit.statements.view import Edition

    langs = [code.strip() for code in lang.split(",") if code.strip()]
    if not langs or any(code not in LANGS for code in langs):
        raise fail(f"--lang {lang}: give some of {','.join(LANGS)}, comma-separated")
    if check and publish:
        raise fail("--check and --publish do not go together; run them one after the other")
    if publish and not by:
        raise fail("--publish needs --by NAME: who reviewed the draft and publishes it")
    if by and not publish:
        raise fail("--by goes with --publish SERVICE")
    loaded = load_config(config)
    for warning in statement_warnings(loaded):
        say(f"warning: {warning.format(loaded.path)}", err=True)
    root = out_dir or loaded.root / "statements"
    if not check:
        check_output_dir("--out-dir", root)
    audits = loaded.root / "audits"
    day = date_option(as_of, "--as-of")
    if publish:
        if day > dt.date.today():
            raise fail(f"--as-of {day}: a statement cannot be published in the future")
        chosen = statement_services(loaded, publish)
        built = build_statements(loaded, chosen, langs, audits, day)
        try:
            paths = publish_statements(built, root, by or "", day)
        except PublishError as exc:
            for reason in exc.problems:
                say(f"kuva-audit: error: cannot publish {reason}", err=True)
            raise typer.Exit(1) from None
        for b in built:
            say(
                f"published {edition_dir(root, 'published', b.service.id)}/ "
                f"({', '.join(b.views)}) on {day.isoformat()} by {by}"
            )
        say(f"{count(len(paths), 'file')} written")
        return
    chosen = statement_services(loaded, service or [])
    if check:
        # From the compact history: works once the full results are gone.
        judged = judge_statements(loaded, chosen, langs, audits)
        checked, problems = check_statements(judged, langs, root, day)
        for line in problems:
            say(line)
        if problems:
            say(f"{count(len(problems), 'problem')} in {count(checked, 'statement')}", err=True)
            raise typer.Exit(EXIT_FINDINGS)
        say(f"{count(checked, 'statement')} checked: all current as of {day.isoformat()}")
        return
    built = build_statements(loaded, chosen, langs, audits, day)
    for refused in override_errors(loaded, audits):
        say(f"warning: {refused.format(loaded.path)}", err=True)
    write_edition(built, root, Edition("draft", day))
    for b in built:
        say(
            f"wrote {edition_dir(root, 'draft', b.service.id)}/ ({', '.join(b.views)}): "
            f"draft, {short_state(b)}"
        )
