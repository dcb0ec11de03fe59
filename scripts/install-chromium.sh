#!/usr/bin/env bash
# Installs headless-capable Chromium (Debian's `chromium` package) for the report's browser test.
# Idempotent: does nothing when /usr/bin/chromium already exists. Needs root (or passwordless sudo) and
# apt-get; otherwise it says what is missing and exits non-zero.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "chromium is already installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi

. "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"
apt_install install-chromium.sh chromium

if [ ! -x "$CHROMIUM" ]; then
  echo "install-chromium.sh: the package did not provide $CHROMIUM" >&2
  exit 1
fi
echo "installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
