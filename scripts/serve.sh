#!/usr/bin/env bash
# Install, migrate and serve on http://127.0.0.1:8000 with gunicorn, plus one
# background task worker per core (batches). Each process is supervised: one
# that dies (a crash, the OOM killer, kill -9) is started again, after 1 s,
# then 2, 4 ... up to 30 s while it keeps dying young. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh

export DJANGO_SETTINGS_MODULE=ttbsite.settings
python=.venv/bin/python
$python manage.py migrate --no-input -v 0
$python manage.py create_first_admin
$python manage.py collectstatic --no-input -v 0

# supervise NAME COMMAND...: run COMMAND, and start it again whenever it exits.
# A run that lasted over a minute resets the delay to 1 s. TERM or INT stops
# the command (TERM, so gunicorn and db_worker finish what they are doing).
supervise() {
  local name=$1 delay=1 child="" started status
  shift
  trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM INT
  while true; do
    started=$SECONDS
    "$@" &
    child=$!
    status=0
    wait "$child" || status=$?
    if ((SECONDS - started > 60)); then delay=1; fi
    echo "serve.sh: $name exited with status $status; starting it again in ${delay}s" >&2
    sleep "$delay" &
    wait $! || true
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
  done
}

workers=${TASK_WORKERS:-$(nproc)}
pids=()
stop() {
  trap - EXIT INT TERM
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop EXIT INT TERM
for number in $(seq "$workers"); do
  # One worker per core: each reads with one thread (README: OCR_THREADS).
  OCR_THREADS=${OCR_THREADS:-1} supervise "task worker $number" \
    $python manage.py db_worker --no-reload &
  pids+=($!)
done

echo "Serving on http://${BIND:-127.0.0.1:8000}  (admin: /admin/, API docs: /api/docs/)"
# More threads than engine slots (ENGINE_CONCURRENCY, the cores): the spare
# ones answer 503 at once when the slots are taken, instead of leaving
# requests queued in the socket's backlog.
supervise gunicorn .venv/bin/gunicorn ttbsite.wsgi \
  --bind "${BIND:-127.0.0.1:8000}" \
  --workers "${WEB_CONCURRENCY:-2}" --threads "${GUNICORN_THREADS:-8}" \
  --timeout "${GUNICORN_TIMEOUT:-60}" --access-logfile - &
pids+=($!)
wait "${pids[@]}"
