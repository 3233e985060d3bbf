"""Course packages (the ``kurs/1`` format), import and export, authoring and the partner
catalogue.

``package.py`` parses and validates a package folder or zip into frozen dataclasses with
no database and no Flask; ``services.py`` stores packages and applies them to courses;
``views.py`` and ``authoring.py`` are the pages under ``/deling`` and
``/kurs/<slug>/rediger``.
"""
