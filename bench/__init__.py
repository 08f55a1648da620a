"""Benchmark of the handbook generator on synthetic organisations of hundreds to thousands of roles.

Run ``python -m bench`` (or ``make bench``); it writes ``bench/RESULTS.md``. Every
figure that matters is a ratio of two timings taken in the same run, so a busy or
slow machine changes the seconds but hardly the conclusions.
"""
