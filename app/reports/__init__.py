"""HR competence reports (``/rapporter``): coverage of mandatory courses by unit tree and
leader level, who lacks which course, expiring certificates, IT project leaders and the
gatherings, evaluation scores and the completion trend; CSV, XLSX and PDF files.

- ``rules``: pure (roll-up, bands, lack, expiry windows, trend months).
- ``scope``: who sees which units, and the filters.
- ``queries``: the SQL, a fixed number of statements returning tuples.
- ``parts``: the report parts assembled for pages, files, the CLI and the API.
"""
