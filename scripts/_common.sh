# Shared set-up for scripts/demo and scripts/test. Sourced, not run.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

_apt_updated=""
# ensure_debs ITEM ...: installs the Debian packages that are missing. An item
# is PACKAGE (checked with dpkg) or COMMAND:PACKAGE (checked by the command).
ensure_debs() {
  local wanted=() item cmd pkg
  for item in "$@"; do
    if [[ $item == *:* ]]; then
      cmd=${item%%:*}; pkg=${item#*:}
      command -v "$cmd" >/dev/null 2>&1 && continue
    else
      pkg=$item
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" && continue
    fi
    wanted+=("$pkg")
  done
  [[ ${#wanted[@]} -eq 0 ]] && return 0
  local sudo=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "Please install: ${wanted[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  say "Installing Debian packages: ${wanted[*]}"
  if [[ -z $_apt_updated ]]; then $sudo apt-get update -qq; _apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
}

find_python() {
  local candidate
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  ensure_debs python3.11:python3.11 >&2
  echo python3.11
}

# ensure_venv REQUIREMENTS_FILE: a virtualenv at .venv with exactly those pins.
ensure_venv() {
  local requirements=$1 python stamp
  python=$(find_python)
  if [[ ! -x .venv/bin/python ]]; then
    "$python" -m venv .venv 2>/dev/null || { ensure_debs python3.11-venv; rm -rf .venv; "$python" -m venv .venv; }
  fi
  stamp=$(cat requirements*.txt | sha256sum | cut -c1-16)-$requirements
  if [[ ! -f .venv/.installed ]] || ! grep -qx "$stamp" .venv/.installed; then
    say "Installing Python packages from $requirements"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$stamp" >> .venv/.installed
  fi
}

compile_messages() {
  .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=.cache -v0
}
