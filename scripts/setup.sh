#!/usr/bin/env bash
# Install the hub into .venv and build the site (or: scripts/setup.sh serve).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv
.venv/bin/pip install --quiet --disable-pip-version-check -e .
export NO_MKDOCS_2_WARNING=1
case "${1:-build}" in
  build) .venv/bin/hub build ;;
  serve) .venv/bin/hub serve ;;
  *) echo "usage: scripts/setup.sh [build|serve]" >&2; exit 2 ;;
esac
