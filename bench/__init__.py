"""Benchmarks that print ratios against a baseline measured in the same run (design.md §9).

``make bench`` (``python -m bench``) builds ``flask demo scale`` data, serves the app and a
bare Flask "hello" under the same gunicorn settings, loads both with wrk from another
process, and prints each page's throughput and latency beside the baseline's.
"""
