#!/usr/bin/env bash
# Lint the REST API's OpenAPI document with Spectral and the project's own NL GOV API Design
# Rules ruleset (lint/adr-ruleset.yaml). Runnable in CI: the only network it needs is the npm
# registry, once, to install Spectral into a cache folder outside the repository.
#
#   scripts/lint-openapi.sh            export the document from the service and lint it
#   scripts/lint-openapi.sh FILE.json  lint an existing document instead
#
# Steps:
#   1. export /api/v1/openapi.json from create_app (temporary settings, no database, no
#      server) with `python -m wpb.service.openapi_export`; that step also checks
#      /core/publish-openapi (readable without login, Access-Control-Allow-Origin: *);
#   2. install @stoplight/spectral-cli into $WPB_SPECTRAL_DIR (default
#      ~/.cache/wpb-spectral) when it is not there yet;
#   3. self-test the ruleset: every own rule must report on the documents in lint/testcases/
#      (so a rule that has silently stopped matching fails the build);
#   4. lint the document; warnings fail as well as errors.
#
# Environment: PYTHON (default .venv/bin/python, else python3), WPB_SPECTRAL_DIR,
# WPB_SPECTRAL_VERSION (npm version range, default 6), NPM (default npm).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

ruleset="lint/adr-ruleset.yaml"
spectral_dir="${WPB_SPECTRAL_DIR:-$HOME/.cache/wpb-spectral}"
spectral_version="${WPB_SPECTRAL_VERSION:-6}"
spectral="$spectral_dir/node_modules/.bin/spectral"
npm="${NPM:-npm}"
if [[ -n "${PYTHON:-}" ]]; then
  python="$PYTHON"
elif [[ -x .venv/bin/python ]]; then
  python=".venv/bin/python"
else
  python="python3"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/wpb-openapi-lint.XXXXXX")"
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# --- 1. the document ---------------------------------------------------------------------
if [[ $# -gt 1 ]]; then
  echo "gebruik: $0 [OPENAPI.json]" >&2
  exit 2
fi
if [[ $# -eq 1 ]]; then
  document="$1"
  [[ -f "$document" ]] || { echo "bestand niet gevonden: $document" >&2; exit 2; }
  echo "==> OpenAPI-document: $document"
else
  document="$work/openapi.json"
  start="$(now)"
  "$python" -m wpb.service.openapi_export --out "$document"
  echo "==> OpenAPI-document geëxporteerd uit create_app ($(took "$start"))"
fi

# --- 2. Spectral ---------------------------------------------------------------------------
start="$(now)"
installed_major=""
if [[ -x "$spectral" ]]; then
  installed_major="$("$spectral" --version 2>/dev/null | cut -d. -f1 || true)"
fi
if [[ ! -x "$spectral" || ( "$spectral_version" =~ ^[0-9]+$ && "$installed_major" != "$spectral_version" ) ]]; then
  command -v "$npm" >/dev/null || { echo "npm niet gevonden; installeer Node.js en npm" >&2; exit 2; }
  echo "==> Spectral installeren in $spectral_dir (@stoplight/spectral-cli@$spectral_version)"
  mkdir -p "$spectral_dir"
  # --ignore-scripts: nothing needs a build step; it also keeps the scarf telemetry
  # post-install hook of a dependency from running (SCARF_ANALYTICS=false does the same).
  SCARF_ANALYTICS=false "$npm" install --prefix "$spectral_dir" --no-audit --no-fund \
    --ignore-scripts --loglevel=error "@stoplight/spectral-cli@$spectral_version" >&2
  echo "==> Spectral $("$spectral" --version) geïnstalleerd ($(took "$start"))"
else
  echo "==> Spectral $("$spectral" --version) uit de cache $spectral_dir"
fi

# --- 3. self-test of the ruleset --------------------------------------------------------------
start="$(now)"
"$spectral" lint --ruleset "$ruleset" --format json --quiet --fail-severity error \
  --output "$work/selftest.json" lint/testcases/*.json || true
missing="$(
  "$python" - "$ruleset" "$work/selftest.json" <<'PY'
import json
import re
import sys

ruleset, report = sys.argv[1], sys.argv[2]
own = re.findall(r"^  ((?:/core/|wpb:)[^:\s]+):\s*$", open(ruleset, encoding="utf-8").read(), re.M)
seen = {result["code"] for result in json.load(open(report, encoding="utf-8"))}
print(" ".join(rule for rule in own if rule not in seen))
PY
)"
if [[ -n "$missing" ]]; then
  echo "==> Zelftest mislukt: deze regels melden niets op lint/testcases/: $missing" >&2
  exit 1
fi
echo "==> Zelftest van $ruleset geslaagd ($(took "$start"))"

# --- 4. lint -----------------------------------------------------------------------------------
start="$(now)"
status=0
"$spectral" lint --ruleset "$ruleset" --fail-severity warn "$document" || status=$?
echo "==> spectral lint klaar ($(took "$start")), exitcode $status"
exit "$status"
