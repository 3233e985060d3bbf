"""Parts every domain uses: base templates, macros, form helpers, PDF frame, audit model."""
