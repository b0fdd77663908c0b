"""The whole job as a library: audit, triage (judging and the exit-code policy), surveys,
statements, report and site, each a function that takes plain arguments, returns what it
produced (with the exit code the policy decides) and raises :class:`kuva_audit.errors.KuvaError`.

Nothing here writes to the terminal: every line goes through the :class:`Reporter` the caller
passes in (the command line's prints; a test's collects)."""

from kuva_audit.pipeline.reporter import Collected, Reporter

__all__ = ["Collected", "Reporter"]
