"""Imports the modules that register job handlers, so that the runner knows them all.

Each domain with long work adds one import line here.
"""
import app.certificates.archive  # noqa: F401  (certificates.zip)
import app.certificates.jobs  # noqa: F401  (certificates.check)
