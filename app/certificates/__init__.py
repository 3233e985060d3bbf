"""Completions, certificates (frozen PDF, public verification, signed credential) and the
completion rule. ``rules.py`` is pure and tested without a database."""
