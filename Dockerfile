# The TTB Label Verifier: gunicorn serving Django, Tesseract and RapidOCR (PP-OCRv4) for OCR.
# The same image runs the task workers: `python manage.py db_worker`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    OMP_THREAD_LIMIT=1 \
    DATA_DIR=/data

RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt requirements-nodeps.txt ./
RUN pip install --no-cache-dir -r requirements.txt \
    && pip install --no-cache-dir --no-deps -r requirements-nodeps.txt

COPY . .
# Static files are collected at build time and served by WhiteNoise (no CDN).
RUN DATA_DIR=/tmp/build-data python manage.py collectstatic --no-input -v 0 \
    && rm -rf /tmp/build-data

RUN useradd --system --uid 10001 --home-dir /app ttb \
    && mkdir -p /data && chown ttb /data
USER ttb

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status == 200 else 1)"

CMD ["sh", "-c", "exec gunicorn ttbsite.wsgi --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-2} --threads ${GUNICORN_THREADS:-8} --timeout ${GUNICORN_TIMEOUT:-60} --access-logfile -"]
