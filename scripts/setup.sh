#!/usr/bin/env bash
# One-time set-up of a fresh Debian machine: the Jupyter and Chromium
# packages (installed with apt only when missing) and the npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

# python3-numpy: the benchmark's vectorised baseline (npm run bench).
packages=(jupyter-nbconvert jupyter-notebook python3-nbclient python3-ipykernel python3-numpy chromium)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
npm ci --no-audit --no-fund
