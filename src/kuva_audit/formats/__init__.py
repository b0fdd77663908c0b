"""Output formats: pure functions of a run (see report.py)."""
