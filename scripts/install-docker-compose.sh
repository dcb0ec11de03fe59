#!/usr/bin/env bash
# Installs Debian's `docker-compose` package (Compose v1, 1.29 on bookworm), with which CI validates
# docker-compose.yml (`docker-compose -f docker-compose.yml config -q`). Validating needs no Docker
# engine. Idempotent: does nothing when `docker-compose` is already on the PATH. Needs root (or
# passwordless sudo) and apt-get; otherwise it says what is missing and exits non-zero.
set -euo pipefail

if command -v docker-compose >/dev/null 2>&1; then
  echo "docker-compose is already installed: $(docker-compose version --short 2>/dev/null || command -v docker-compose)"
  exit 0
fi

. "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"
apt_install install-docker-compose.sh docker-compose

if ! command -v docker-compose >/dev/null 2>&1; then
  echo "install-docker-compose.sh: the package did not provide docker-compose" >&2
  exit 1
fi
echo "installed: $(docker-compose version --short 2>/dev/null || command -v docker-compose)"
