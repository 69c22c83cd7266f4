#!/usr/bin/env bash
# Installs checkov into its own virtualenv, .venv-checkov/, beside the app's.
# checkov pins an older boto3 than the app uses, so the two cannot share a venv.
# Idempotent: returns at once when the pinned version is already there.
set -euo pipefail

CHECKOV_VERSION="3.3.30"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${repo_root}/.venv-checkov"

if [[ -x "${venv}/bin/checkov" ]] \
    && "${venv}/bin/pip" show checkov 2>/dev/null | grep -qx "Version: ${CHECKOV_VERSION}"; then
    echo "checkov ${CHECKOV_VERSION} already installed in ${venv}"
    exit 0
fi

python3 -m venv "${venv}"
"${venv}/bin/pip" install --quiet --upgrade pip
"${venv}/bin/pip" install --quiet "checkov==${CHECKOV_VERSION}"
"${venv}/bin/checkov" --version
