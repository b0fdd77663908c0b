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
    date_option,
    fail,
    say,
    terminal,
    user_errors,
)
from kuva_audit.cli.recap import goal_line
from kuva_audit.config.loader import load_config
from kuva_audit.pipeline.options import report_lang
from kuva_audit.pipeline.report import report_command
from kuva_audit.pipeline.statements import (
    check_published,
    parse_langs,
    publish_reviewed,
    warn_statements,
    write_drafts,
)
from kuva_audit.pipeline.surveys import surveys_command
from kuva_audit.words import count
from kuva_audit.writable import check_output_dir


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
    code = report_lang(lang)
    loaded = load_config(config)
    folder = out_dir or loaded.root / "reports"
    data, paths = report_command(loaded, as_of, code, folder)
    say(goal_line(data))
    for path in paths:
        say(f"wrote {path}")
    say(f"open the front page: {folder.resolve() / 'index.html'}")


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
    for path in surveys_command(loaded, out_dir or loaded.root / "reports", terminal):
        say(f"wrote {path}")


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
    from kuva_audit.statements.publish import PublishError
    from kuva_audit.statements.render import edition_dir
    from kuva_audit.statements.state import short_state

    langs = parse_langs(lang)
    if check and publish:
        raise fail("--check and --publish do not go together; run them one after the other")
    if publish and not by:
        raise fail("--publish needs --by NAME: who reviewed the draft and publishes it")
    if by and not publish:
        raise fail("--by goes with --publish SERVICE")
    loaded = load_config(config)
    warn_statements(loaded, terminal)
    root = out_dir or loaded.root / "statements"
    if not check:
        check_output_dir("--out-dir", root)
    day = date_option(as_of, "--as-of")
    if publish:
        try:
            built, paths = publish_reviewed(loaded, publish, langs, root, by or "", day)
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
    if check:
        found = check_published(loaded, service or [], langs, root, day)
        for line in found.problems:
            say(line)
        if found.problems:
            problems, checked = len(found.problems), found.checked
            say(f"{count(problems, 'problem')} in {count(checked, 'statement')}", err=True)
            raise typer.Exit(found.code)
        say(f"{count(found.checked, 'statement')} checked: all current as of {day.isoformat()}")
        return
    for b in write_drafts(loaded, service or [], langs, root, day, terminal):
        say(
            f"wrote {edition_dir(root, 'draft', b.service.id)}/ ({', '.join(b.views)}): "
            f"draft, {short_state(b)}"
        )
