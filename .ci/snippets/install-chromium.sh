#!/bin/sh
# Debian's chromium for the widget's browser test (tests/browser/test_widget_browser.py).
# Playwright drives this binary; `playwright install` (a browser download) is
# never used. Idempotent: does nothing when chromium is already on PATH.
# Needs root (CI runs as root); call it from .ci/run before the test targets.
set -eu

if command -v chromium >/dev/null 2>&1; then
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium
command -v chromium >/dev/null 2>&1 || { echo "chromium did not install" >&2; exit 1; }
chromium --version
