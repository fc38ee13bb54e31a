#!/usr/bin/env bash
# Fuzz every target for $1 seconds (default 60): fuzz/run.sh 600
set -euo pipefail
cd "$(dirname "$0")/.."
exec "${PYTHON:-.venv/bin/python}" -m fuzz --seconds "${1:-60}" "${@:2}"
