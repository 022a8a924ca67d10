# Newsroom: make run (install, migrate, load the sample issue, serve) and make test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
SAMPLE := backissues/fixtures/jinri-luotang-118.md

.PHONY: install run migrate sample test lint format bench messages lock

# Idempotent: the venv is made once, and packages are reinstalled only when
# pyproject.toml (or package.json, for the browser tests' axe-core) changes. Without npm the
# browser tests say what is missing.
install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/constraints.txt $(wildcard package.json)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	if [ -f package.json ] && command -v npm >/dev/null; then npm install --no-audit --no-fund --silent; fi
	touch $@

migrate: install
	$(PY) manage.py migrate --no-input

sample: migrate
	$(PY) manage.py import_issues $(SAMPLE)

run: sample
	@echo
	@echo "Newsroom is at http://$(HOST)/ and the desk at http://$(HOST)/admin/"
	@echo "No admin user yet? Create one with: $(PY) manage.py createsuperuser"
	@echo
	$(PY) manage.py runserver $(HOST)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

# make bench BENCH_ARGS=--quick for short runs; python bench/run_all.py --help for the rest.
bench: install
	$(PY) bench/run_all.py $(BENCH_ARGS)

# Extract new strings and compile the translations (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=bench --ignore=node_modules
	$(PY) manage.py compilemessages -l zh_Hans --ignore=.venv --ignore=node_modules

# Pin what is installed now (after adding a dependency to pyproject.toml and installing it):
# CI and every new machine then install exactly the versions that were tested.
lock: install
	$(PY) -m pip freeze --exclude-editable --exclude newsroom | sed '/^-e /d' > requirements/constraints.txt
