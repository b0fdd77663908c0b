"""Satisfaction surveys: real exports in (read.py, layouts.py, dates.py, sources.py), honest
scores out (tally.py, stats.py, score.py, privacy.py, output.py).

pandas stays inside this package; everything it hands on is plain dataclasses.
"""
