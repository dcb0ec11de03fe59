# Sourced by the install scripts: installs Debian packages as root, or through passwordless sudo, and
# says plainly what is missing when neither is possible.
# Usage: apt_install WHO PACKAGE...   (WHO names the calling script in messages)

SUDO=""

apt_privileges() {
  local who=$1
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      SUDO="sudo -n"
    else
      echo "$who: this is not root (nor passwordless sudo); install the package by hand" >&2
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$who: no apt-get here; install the package by hand" >&2
    exit 1
  fi
}

apt_install() {
  local who=$1
  shift
  apt_privileges "$who"
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}
