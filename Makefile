# Hireloop: `make run` serves the admin with demo data, `make test` runs everything CI runs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint migrations-check pytest pytest-postgres demo worker beat bench screenshots chromium axe clean \
	test-worker bench-notifications

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo
	$(PY) manage.py runserver 127.0.0.1:8000

demo: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py demo

test: $(VENV)/.installed lint migrations-check chromium axe pytest pytest-postgres test-worker

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

migrations-check: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run

pytest: $(VENV)/.installed
	env -u DATABASE_URL $(PY) -m pytest -q -n 2 -m "not worker"

# PostgreSQL run: required under CI=true, otherwise only when a server answers.
pytest-postgres: $(VENV)/.installed
	@url="$${DATABASE_URL:-$(PG_TEST_URL)}"; \
	case "$$url" in postgres*) ;; *) url="$(PG_TEST_URL)";; esac; \
	if $(PY) -c "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$$url" 2>/dev/null; then \
		echo "== pytest on PostgreSQL ($$url)"; \
		DATABASE_URL="$$url" $(PY) -m pytest -q -n 2 -m "not worker and not browser"; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is required under CI=true but does not answer at $$url"; exit 1; \
	else \
		echo "Skipping the PostgreSQL run: no server answers at $$url (set DATABASE_URL or start PostgreSQL)."; \
	fi

# Browser journeys (tests/browser, marked `browser`) drive the system's Chromium through Playwright;
# no browser is downloaded. Under CI=true a missing Chromium is installed; elsewhere the journeys
# are skipped with a printed reason.
CHROMIUM ?= /usr/bin/chromium
SCREENSHOTS := hiring-team recruiter interviewer manager board careers-list careers-job careers-apply \
	portal-home portal-application portal-booking portal-handin application-page search-tag-filter \
	notes-write-preview

chromium:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$CI" = "true" ]; then \
		echo "Installing Chromium for the browser journeys"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "No Chromium at $(CHROMIUM): the browser journeys will be skipped (apt-get install chromium)."; \
	fi

# axe-core, from the npm registry at the version of tests/browser/axe/package-lock.json: the
# browser journeys run it on the public pages. Under CI=true a missing npm is installed.
AXE_DIR := tests/browser/axe
axe:
	@if [ -f "$(AXE_DIR)/node_modules/axe-core/axe.min.js" ]; then :; \
	elif command -v npm >/dev/null; then \
		npm ci --prefix $(AXE_DIR) --no-audit --no-fund --silent; \
	elif [ "$$CI" = "true" ]; then \
		echo "Installing npm for axe-core"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
		npm ci --prefix $(AXE_DIR) --no-audit --no-fund --silent; \
	else \
		echo "No npm: the browser journeys will be skipped (they need axe-core from the npm registry)."; \
	fi

# Runs the journeys and refreshes the README's screenshots (one per user) in docs/screenshots/.
screenshots: $(VENV)/.installed chromium axe
	rm -f var/screenshots/*.png
	env -u DATABASE_URL REQUIRE_BROWSER=true $(PY) -m pytest -q -p no:cacheprovider -m browser tests/browser
	mkdir -p docs/screenshots
	@for name in $(SCREENSHOTS); do \
		cp var/screenshots/$$name.png docs/screenshots/$$name.png || exit 1; \
		echo "docs/screenshots/$$name.png"; \
	done

# Workers keep their database connection between tasks (CONN_MAX_AGE), instead of one per task.
# A pool of 4 threads sent 25-50% more notifications per second than 2 prefork processes, for less
# CPU (notifications_bench); the threads pool enforces no task time limits, EMAIL_TIMEOUT bounds a
# hung SMTP server. Gossip, mingle and heartbeats serve clusters and monitors; nothing here uses them.
WORKER_ARGS ?= --pool=threads --concurrency=4 --without-gossip --without-mingle --without-heartbeat
worker: $(VENV)/.installed
	CONN_MAX_AGE=$${CONN_MAX_AGE:-300} $(VENV)/bin/celery -A config worker --loglevel=INFO $(WORKER_ARGS)

beat: $(VENV)/.installed
	$(VENV)/bin/celery -A config beat --loglevel=INFO

# Real Celery workers against Redis and PostgreSQL (tests/worker): required under CI=true,
# otherwise only when both answer.
test-worker: $(VENV)/.installed
	@url="$${DATABASE_URL:-$(PG_TEST_URL)}"; \
	case "$$url" in postgres*) ;; *) url="$(PG_TEST_URL)";; esac; \
	if ! $(PY) -c "import sys, psycopg; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$$url" 2>/dev/null; then \
		problem="PostgreSQL does not answer at $$url"; \
	elif ! $(PY) -c "import sys, redis; redis.Redis.from_url(sys.argv[1], socket_connect_timeout=3).ping()" "$(REDIS_TEST_URL)" 2>/dev/null; then \
		problem="Redis does not answer at $(REDIS_TEST_URL)"; \
	fi; \
	if [ -z "$$problem" ]; then \
		echo "== worker tests (Celery on $(REDIS_TEST_URL), PostgreSQL $$url)"; \
		DATABASE_URL="$$url" REDIS_TEST_URL="$(REDIS_TEST_URL)" $(PY) -m pytest -q -m worker tests/worker; \
	elif [ "$$CI" = "true" ]; then \
		echo "The worker tests are required under CI=true: $$problem"; exit 1; \
	else \
		echo "Skipping the worker tests: $$problem."; \
	fi

# Notifications per second through one worker, and move-to-sent p50/p95. Needs PostgreSQL and a broker:
#   DATABASE_URL=postgres://... CELERY_BROKER_URL=redis://127.0.0.1:6379/0 make bench-notifications
# e.g. NOTIFICATIONS_BENCH_ARGS="--moves 1000 --pool prefork --concurrency 2"
NOTIFICATIONS_BENCH_ARGS ?= --moves 1000 --latency-moves 200
bench-notifications: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py notifications_bench $(NOTIFICATIONS_BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var

# Scale benchmark on PostgreSQL (DATABASE_URL): generates the dataset, measures, writes var/bench/bench.json.
# Full size by default (1,000,000 applications); e.g. BENCH_ARGS="--applications 100000 --reuse".
bench: $(VENV)/.installed
	$(PY) manage.py bench $(BENCH_ARGS)
