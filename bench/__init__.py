"""Benchmarks that print ratios against baselines measured in the same run (design.md §9).

``make bench`` (``python -m bench``) runs every benchmark module in turn; each serves the
app and its own baseline (a bare Flask "hello" under the same gunicorn settings, or a bare
one-string reportlab page) and prints figures beside the baseline of the same run.
"""
