"""Long work in a database-backed queue: ``flask jobs run`` takes jobs with a lease, so
that a crashed runner's job is taken over, and stores results under KURS_STORAGE_DIR."""
