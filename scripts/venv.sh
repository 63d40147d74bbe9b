# Shared by setup.sh and test.sh: make .venv, installing Debian's python3-venv if it is missing.
ensure_venv() {
  if [ -x .venv/bin/python ] && .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    return
  fi
  if ! python3 -m venv .venv 2>/dev/null; then
    rm -rf .venv
    if command -v apt-get >/dev/null 2>&1; then
      $(command -v sudo || true) apt-get install -y -qq python3-venv >/dev/null
    fi
    python3 -m venv .venv
  fi
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
}

ensure_chromium() {
  for candidate in /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -x "$candidate" ]; then export HUB_CHROMIUM="$candidate"; return; fi
  done
  local sudo_cmd; sudo_cmd=$(command -v sudo || true)
  $sudo_cmd apt-get update -qq >/dev/null
  $sudo_cmd apt-get install -y -qq chromium >/dev/null
  export HUB_CHROMIUM=/usr/bin/chromium
}
