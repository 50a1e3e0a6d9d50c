#!/usr/bin/env bash
# Makes sure the PostgreSQL server the tests use (AISLE_TEST_PG, default 127.0.0.1:5432) answers.
# Starts the local cluster when it is down and we may; in CI a missing server is an error the tests report.
set -uo pipefail
cd "$(dirname "$0")/.."
ready() { .venv/bin/python - <<'PY'
import os, sys
import psycopg
url = os.environ.get("AISLE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001
    print(f"PostgreSQL not reachable at {url}: {exc}", file=sys.stderr)
    sys.exit(1)
PY
}
if ready 2>/dev/null; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  for v in $(ls /etc/postgresql); do
    echo "== starting PostgreSQL $v"
    pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
  done
  for _ in $(seq 1 20); do ready 2>/dev/null && exit 0; sleep 0.5; done
fi
ready || echo "!! PostgreSQL is not running: the PostgreSQL tests will fail in CI and skip elsewhere." >&2
exit 0
