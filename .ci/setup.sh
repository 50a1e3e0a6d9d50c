#!/usr/bin/env bash
# Creates .venv, installs Aisle with its dev tools, the zbar system library pyzbar needs, Debian's Chromium and
# CUPS, and the tests' Node tools (package.json).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Aisle needs Python 3.11 or newer; '$PYTHON' is $("$PYTHON" --version 2>&1). Run: make PYTHON=python3.11 ..." >&2
  exit 1
fi

# System packages, installed through apt when missing and allowed (apt-get update first):
# libzbar0, the barcode decoder behind pyzbar; chromium, the browser the supervisor's browser test drives through
# Playwright (tests/ui/web; Playwright never downloads a browser of its own here); cups and cups-client, the
# scheduler and lp/lpstat the CUPS printer test runs (tests/integration/devices/test_printer_cups.py starts its own
# private cupsd, so the system's CUPS needs no configuration and need not be running).
NEED=()
ldconfig -p 2>/dev/null | grep -q 'libzbar\.so\.0' || NEED+=(libzbar0)
[ -x /usr/bin/chromium ] || NEED+=(chromium)
[ -x /usr/sbin/cupsd ] || NEED+=(cups)
command -v lp >/dev/null 2>&1 || NEED+=(cups-client)
if [ ${#NEED[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then
      if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi
    fi
    if [ "$(id -u)" = "0" ] || [ -n "$SUDO" ]; then
      echo "== installing ${NEED[*]} (libzbar0: system library for pyzbar; chromium: the browser test; cups: the printer test)"
      $SUDO apt-get update -qq || true
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${NEED[@]}" >/dev/null
    else
      echo "!! ${NEED[*]} missing and this user may not run apt-get: sudo apt-get install -y ${NEED[*]}" >&2
      echo "!! (without libzbar0 camera decoding uses zxing-cpp only; without chromium or cups the browser or" >&2
      echo "!! CUPS printer test fails in CI and is skipped elsewhere)" >&2
    fi
  else
    echo "!! ${NEED[*]} missing (no apt-get here): install zbar, Chromium and CUPS with your package manager." >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
echo "== installing aisle and its tools into .venv"
.venv/bin/python -m pip install -q -e '.[dev]'

# Node tools for the tests only (package.json): zpl-renderer-js renders ZPL labels to PNG
# (tests/integration/labels), into ./node_modules. Without Node those tests fail in CI and are skipped elsewhere.
if command -v npm >/dev/null 2>&1; then
  echo "== installing the tests' Node tools into node_modules (zpl-renderer-js)"
  if [ -f package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  else
    npm install --no-audit --no-fund --loglevel=error >/dev/null
  fi
else
  echo "!! npm missing: install Node.js and npm (sudo apt-get install -y nodejs npm) for the ZPL label tests" >&2
fi
echo "== ready: .venv/bin/aisle"
