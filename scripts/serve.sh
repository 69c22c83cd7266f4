#!/usr/bin/env bash
# Install, migrate and serve on http://127.0.0.1:8000 with gunicorn, plus one
# background task worker per core (batches). Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh

export DJANGO_SETTINGS_MODULE=ttbsite.settings
python=.venv/bin/python
$python manage.py migrate --no-input -v 0
$python manage.py create_first_admin
$python manage.py collectstatic --no-input -v 0

workers=${TASK_WORKERS:-$(nproc)}
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq "$workers"); do
  # One worker per core: each reads with one thread (README: OCR_THREADS).
  OCR_THREADS=${OCR_THREADS:-1} $python manage.py db_worker --no-reload &
  pids+=($!)
done

echo "Serving on http://${BIND:-127.0.0.1:8000}  (admin: /admin/, API docs: /api/docs/)"
.venv/bin/gunicorn ttbsite.wsgi \
  --bind "${BIND:-127.0.0.1:8000}" \
  --workers "${WEB_CONCURRENCY:-2}" --threads "${GUNICORN_THREADS:-4}" \
  --timeout "${GUNICORN_TIMEOUT:-60}" --access-logfile - &
pids+=($!)
wait -n "${pids[@]}"
