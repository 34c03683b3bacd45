# The two commands of the README: `make run` and `make test`.
# Only python3 (>= 3.11) and make are needed; everything else goes into .venv.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet

.PHONY: run test install install-test lint format messages messages-check clean help bench

help:
	@echo "make run      serve the demo portal on http://127.0.0.1:$(PORT) (SQLite, demo accounts)"
	@echo "make test     run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)"
	@echo "make lint     ruff check and format check"
	@echo "make messages regenerate and compile the English catalogue"

$(VENV)/pyvenv.cfg:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + "); set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed-run: $(VENV)/pyvenv.cfg pyproject.toml
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/pyvenv.cfg pyproject.toml
	$(PIP) install -e ".[test]"
	@touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

run: install
	@mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install-test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Server time of the directory pages with 50,000 actors, then the registration race
# (1,000 sign-ups for 140 seats through a live gunicorn), on PostgreSQL, then the composition
# of 500 participants into 17 workshop groups (pure Python), then the bilan of 1,000 actions
# against the rencontre's dashboard (docs/benchmarks.md).
# BENCH_DATABASE_URL, BENCH_RACE_DATABASE_URL and BENCH_BILAN_DATABASE_URL pick other
# databases; the default ones are created if missing.
bench: install-test
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/contrat_ville_bench} \
	SECRET_KEY=bench-only-not-a-secret ALLOWED_HOSTS=testserver HTTPS=0 DEBUG=0 \
	$(PY) bench/directory.py
	DATABASE_URL=$${BENCH_RACE_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/contrat_ville_bench_race} \
	SECRET_KEY=bench-only-not-a-secret ALLOWED_HOSTS=127.0.0.1 HTTPS=0 DEBUG=0 \
	$(PY) bench/registration.py
	$(PY) bench/composition.py
	DATABASE_URL=$${BENCH_BILAN_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/contrat_ville_bench_bilan} \
	SECRET_KEY=bench-only-not-a-secret ALLOWED_HOSTS=testserver HTTPS=0 DEBUG=0 \
	$(PY) bench/bilan.py

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Needs GNU gettext (xgettext, msgfmt), a developer tool: the compiled
# catalogue is committed so that `make run` does not need it.
messages: install
	DEBUG=1 $(PY) manage.py makemessages -l en --no-obsolete --add-location file -i '.venv/*' -i 'var/*'
	DEBUG=1 $(PY) manage.py compilemessages -l en --ignore '.venv/*' --ignore 'var/*'

# Fails when a string is missing from the catalogue, untranslated or fuzzy,
# or when the committed .mo is not the compiled .po.
messages-check: install
	@rm -rf var/messages-check && mkdir -p var/messages-check
	cp -r locale var/messages-check/
	DEBUG=1 $(PY) manage.py makemessages -l en --no-obsolete --add-location file -i '.venv/*' -i 'var/*'
	@test -z "$$(msgattrib --untranslated --no-obsolete locale/en/LC_MESSAGES/django.po)" || { echo "Untranslated strings:"; msgattrib --untranslated --no-obsolete locale/en/LC_MESSAGES/django.po; exit 1; }
	@test -z "$$(msgattrib --only-fuzzy --no-obsolete locale/en/LC_MESSAGES/django.po)" || { echo "Fuzzy strings:"; msgattrib --only-fuzzy locale/en/LC_MESSAGES/django.po; exit 1; }
	@msgfmt -o var/messages-check/django.mo locale/en/LC_MESSAGES/django.po && cmp -s var/messages-check/django.mo locale/en/LC_MESSAGES/django.mo || { echo "locale/en/LC_MESSAGES/django.mo is stale: run make messages"; exit 1; }
	@diff -q -I '^"POT-Creation-Date' var/messages-check/locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po >/dev/null || { echo "The catalogue was out of date with the code: run make messages and commit"; cp var/messages-check/locale/en/LC_MESSAGES/django.po locale/en/LC_MESSAGES/django.po; exit 1; }

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
