"""Triage of a run's issues: accepted ones (accepted.yaml) and changes since a baseline run."""
