# Mobility Portal — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
# pytest-xdist workers for `make test` and `make e2e` (one test database each); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
MESSAGES_IGNORE := --no-location --ignore=.venv --ignore=static --ignore=staticfiles --ignore=e2e-artifacts --ignore=bench

.PHONY: run worker test e2e audit install migrate demo lint format messages check-deploy clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	$(BIN)/python manage.py runserver $(HOST)

# A Celery worker with beat (outbox relay, deadline reminders); needs CELERY_BROKER_URL.
worker: install
	test -n "$$CELERY_BROKER_URL" || { echo "Set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0"; exit 2; }
	$(BIN)/celery -A mobility_portal worker --beat --loglevel=info --schedule=/tmp/mobility-celerybeat-schedule

test: install
	$(BIN)/pytest -q -m "not e2e and not shares_redis" -n $(TEST_WORKERS)
	$(BIN)/pytest -q -m "shares_redis and not e2e"

# Browser tests: Debian's chromium (apt-get install chromium) driven by Playwright.
e2e: install
	$(BIN)/pytest -q -m e2e tests/e2e -n $(TEST_WORKERS)

# Security audits: bandit on our code (medium and high findings fail), pip-audit on the pins.
audit: install
	$(BIN)/bandit -q -r apps mobility_portal -ll
	$(BIN)/pip-audit -r requirements.txt --progress-spinner off

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(BIN)/python manage.py makemessages -l fr -e html,txt,py,svg $(MESSAGES_IGNORE)
	# English is the source language: its catalogue is rebuilt with each message as its own translation.
	rm -f locale/en/LC_MESSAGES/django.po
	$(BIN)/python manage.py makemessages -l en -e html,txt,py,svg $(MESSAGES_IGNORE)
	msgen locale/en/LC_MESSAGES/django.po -o locale/en/LC_MESSAGES/django.po
	$(BIN)/python manage.py compilemessages --ignore=.venv

check-deploy: install
	DJANGO_SETTINGS_MODULE=mobility_portal.settings.production SECRET_KEY=$$(openssl rand -hex 32) \
		ALLOWED_HOSTS=mobility.example.org CACHE_URL=redis://127.0.0.1:6379/1 \
		SITE_URL=https://mobility.example.org EMAIL_URL=smtp+tls://portal:secret@smtp.example.org:587 \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles

# Load benchmark (bench/README.md): 10,000 students on PostgreSQL (database mobility_scale,
# seeded on first use), gunicorn with 4 workers, locust headless; then the re-check of every
# plan through a Celery worker. About ten minutes; every run stops by itself.
.PHONY: bench
bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/recheck_bench.py
