"""Satisfaction surveys: real exports in (read.py), honest scores out (score.py, stats.py).

pandas stays inside this package; everything it hands on is plain dataclasses.
"""
