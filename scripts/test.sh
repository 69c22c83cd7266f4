#!/usr/bin/env bash
# Install the service and the test tools, lint, check, and run the whole suite.
# Extra arguments go to pytest (e.g. scripts/test.sh tests/engine -x).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh --dev

export DJANGO_SETTINGS_MODULE=ttbsite.settings
bin=.venv/bin
echo "== ruff"
$bin/ruff check .
$bin/ruff format --check .
if [ -n "${DATABASE_URL:-}" ]; then database="DATABASE_URL (${DATABASE_URL%%:*})"; else database="embedded SQLite"; fi
echo "== django checks (database: $database)"
$bin/python manage.py check
$bin/python manage.py makemigrations --check --dry-run
echo "== pytest"
set +e
# One worker per core (pytest-xdist), whole files to a worker so a module's
# expensive fixtures (Terraform plans, a live server, Chromium) start once.
$bin/pytest -n "${TEST_WORKERS:-auto}" --dist loadfile "$@"
status=$?
set -e
if [ $status -eq 5 ]; then
  echo "pytest ran no test: that is a failure here." >&2
  exit 1
fi
exit $status
