#!/usr/bin/env bash
# Install what the service needs into .venv/ (and system packages when missing).
#   scripts/install.sh          runtime only
#   scripts/install.sh --dev    plus test tools (Chromium, shellcheck, checkov, fonts)
set -euo pipefail
cd "$(dirname "$0")/.."

dev=false
[ "${1:-}" = "--dev" ] && dev=true

packages=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd)
if $dev; then
  packages+=(fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-urw-base35 fonts-texgyre chromium shellcheck)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing system packages: ${missing[*]}" >&2
    echo "Install them first:  sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv with $($python --version)"
  "$python" -m venv .venv
fi

requirements=requirements.txt
$dev && requirements=requirements-dev.txt
# Skip pip when the requirements have not changed since the last install.
stamp=".venv/.installed-$(basename "$requirements")"
digest=$(cat requirements.txt requirements-nodeps.txt "$requirements" | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r "$requirements"
  # Without its declared opencv-python (see the file): cv2 stays the headless build.
  .venv/bin/python -m pip install -q --no-deps -r requirements-nodeps.txt
  echo "$digest" > "$stamp"
fi

if $dev && [ -x scripts/install_checkov.sh ]; then
  scripts/install_checkov.sh
fi
