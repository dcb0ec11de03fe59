#!/usr/bin/env bash
# Installs Prometheus and promtool (Debian's `prometheus` package) for the Prometheus source's tests.
# Idempotent: does nothing when both are already on PATH. The package's own service is kept from
# starting (a policy-rc.d that refuses, for the install only, where none is in place, and the
# service stopped afterwards if it ran anyway): the tests start their own server on a free loopback
# port with a temporary storage directory.
set -euo pipefail

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  echo "prometheus and promtool are already installed: $(prometheus --version 2>&1 | head -n 1)"
  exit 0
fi

. "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"
apt_privileges install-prometheus.sh

POLICY=/usr/sbin/policy-rc.d
created_policy=""
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\n# temporary, from install-prometheus.sh: no service starts during the install\nexit 101\n' \
    | $SUDO tee "$POLICY" >/dev/null
  $SUDO chmod 755 "$POLICY"
  created_policy=1
fi
cleanup() { if [ -n "$created_policy" ]; then $SUDO rm -f "$POLICY"; fi; }
trap cleanup EXIT

apt_install install-prometheus.sh prometheus

# Should a service manager have started it regardless, stop it: the tests need no server on :9090.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
elif [ -x /etc/init.d/prometheus ]; then
  $SUDO /etc/init.d/prometheus stop >/dev/null 2>&1 || true
fi

for bin in prometheus promtool; do
  if ! command -v "$bin" >/dev/null 2>&1; then
    echo "install-prometheus.sh: the package did not provide '$bin' on PATH" >&2
    exit 1
  fi
done
echo "installed: $(prometheus --version 2>&1 | head -n 1)"
