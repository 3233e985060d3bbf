# kurs – the two commands a newcomer needs are `make run` and `make test`.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
HOST ?= 127.0.0.1
export FLASK_APP := app:create_app

.PHONY: run test test-postgres test-e2e test-slow bench soak lint translations i18n-extract clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes (the stamp files are newer otherwise).
$(VENV)/.stamp-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.stamp-dev: pyproject.toml $(VENV)/.stamp-run
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# Compiled catalogues are build output, made from the committed .po files when they change.
PO_FILES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
translations: $(MO_FILES)
%.mo: %.po $(VENV)/.stamp-run
	$(BIN)/pybabel compile -i $< -o $@

# The job runner (certificates after attendance, ZIP archives, exports) runs beside the
# development server and stops with it.
run: export KURS_BASE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.stamp-run translations
	$(BIN)/flask db upgrade
	$(BIN)/flask keys create --if-missing
	$(BIN)/flask demo load --if-empty
	@echo "Serving on http://$(HOST):$(PORT)  (stop with Ctrl+C)"
	@$(BIN)/flask jobs run --poll-seconds 2 & runner=$$!; \
		trap 'kill $$runner 2>/dev/null' EXIT INT TERM; \
		$(BIN)/flask run --host $(HOST) --port $(PORT)

test: $(VENV)/.stamp-dev translations
	$(BIN)/pytest -n 2 -m "not slow and not e2e" -q

test-postgres: $(VENV)/.stamp-dev translations
	KURS_TEST_POSTGRES_URL=$${KURS_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
		$(BIN)/pytest -n 2 -m "not slow and not e2e" -q

test-e2e: $(VENV)/.stamp-dev translations
	$(BIN)/pytest -m e2e -q -p no:xdist

test-slow: $(VENV)/.stamp-dev translations
	$(BIN)/pytest -m slow -q

bench: $(VENV)/.stamp-dev translations
	$(BIN)/python -m bench $(BENCH_ARGS)
	$(BIN)/python -m bench.soak $(SOAK_ARGS)

# The soak alone: SOAK_ARGS="--minutes 3" make soak (PostgreSQL: KURS_SOAK_POSTGRES_URL).
soak: $(VENV)/.stamp-dev translations
	$(BIN)/python -m bench.soak $(SOAK_ARGS)

lint: $(VENV)/.stamp-dev
	$(BIN)/ruff check .
	$(BIN)/bandit -q -r app -ll

i18n-extract: $(VENV)/.stamp-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _lp:1c,2 -k lazy_pgettext:1c,2 -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) instance/kurs.db* .pytest_cache .ruff_cache
