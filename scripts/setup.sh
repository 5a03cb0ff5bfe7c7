#!/usr/bin/env bash
# Installs what a bare Debian machine lacks for CORS Lens (browsers, lab servers), then the npm packages.
# Safe to run again: it installs only what is missing. Needs root (or sudo) for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -n "${CHROME_PATH:-}" ] || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || need_apt+=(firefox-esr)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || need_apt+=(nginx-light)
command -v php >/dev/null 2>&1 || need_apt+=(php-cli)
/usr/bin/python3 -c 'import flask, flask_cors' >/dev/null 2>&1 || need_apt+=(python3-flask python3-flask-cors)
# The other stacks whose generated fixes the suite proves in a real browser (test/fixes/proof.test.ts).
[ -x /usr/sbin/apache2 ] || need_apt+=(apache2)
command -v caddy >/dev/null 2>&1 || need_apt+=(caddy)
command -v go >/dev/null 2>&1 || need_apt+=(golang-go)
/usr/bin/python3 -c 'import fastapi, uvicorn' >/dev/null 2>&1 || need_apt+=(python3-fastapi python3-uvicorn)
/usr/bin/python3 -c 'import django, corsheaders' >/dev/null 2>&1 || need_apt+=(python3-django python3-django-cors-headers)

if [ ${#need_apt[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# `npm ci` takes 15-30 s even when nothing changed: skip it when node_modules already holds what package-lock.json pins
# (a bare machine or a changed lockfile still installs). CORS_LENS_FORCE_NPM_CI=1 installs anyway.
if [ -z "${CORS_LENS_FORCE_NPM_CI:-}" ] && node scripts/installed-matches-lock.mjs; then
  echo "setup: node_modules matches package-lock.json; npm ci skipped"
else
  npm ci --no-audit --no-fund
fi
