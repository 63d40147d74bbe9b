#!/usr/bin/env bash
# Install what the tests need (the hub, pytest, Playwright, Debian's Chromium) and run the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv
.venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
ensure_chromium
export NO_MKDOCS_2_WARNING=1
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: the suite is missing" >&2
  exit 1
fi
exit "$status"
