#!/usr/bin/env bash
# Creates .venv, installs Aisle with its dev tools, and the zbar system library pyzbar needs.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Aisle needs Python 3.11 or newer; '$PYTHON' is $("$PYTHON" --version 2>&1). Run: make PYTHON=python3.11 ..." >&2
  exit 1
fi

# libzbar0: the barcode decoder behind pyzbar. Installed through apt when missing and allowed.
if ! ldconfig -p 2>/dev/null | grep -q 'libzbar\.so\.0'; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != "0" ]; then
      if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi
    fi
    if [ "$(id -u)" = "0" ] || [ -n "$SUDO" ]; then
      echo "== installing libzbar0 (system library for pyzbar)"
      $SUDO apt-get update -qq || true
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libzbar0 >/dev/null
    else
      echo "!! libzbar0 is missing and this user may not run apt-get: camera decoding will use zxing-cpp only." >&2
      echo "!! To add pyzbar: sudo apt-get install libzbar0" >&2
    fi
  else
    echo "!! libzbar0 is missing (no apt-get here): install zbar with your package manager for pyzbar." >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
echo "== installing aisle and its tools into .venv"
.venv/bin/python -m pip install -q -e '.[dev]'
echo "== ready: .venv/bin/aisle"
