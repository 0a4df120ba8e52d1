#!/usr/bin/env bash
# Run every atheris harness of fuzz/harnesses.py for a fixed time each.
#
#   fuzz/run.sh [SECONDS_PER_HARNESS] [HARNESS ...]
#
# Default 60 s per harness, all harnesses. Corpora, logs and findings go to
# $WPB_FUZZ_DIR (default /tmp/wpb-fuzz), not into the project. A finding stops that
# harness and leaves the input as $WPB_FUZZ_DIR/crash-<harness>-*; the script exits 1 if
# any harness found something.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(case_json ijw_xml upload gba facturen)
python="${PYTHON:-.venv/bin/python}"
"$python" -c "import atheris" 2>/dev/null || { echo "atheris ontbreekt: .venv/bin/pip install atheris" >&2; exit 2; }

out="${WPB_FUZZ_DIR:-/tmp/wpb-fuzz}"
mkdir -p "$out"
status=0
for h in "${harnesses[@]}"; do
  echo "== $h ($seconds s)"
  if ! "$python" fuzz/harnesses.py "$h" "$out/corpus/$h" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="$out/crash-$h-" -print_final_stats=1 2>"$out/$h.log"; then
    echo "   GEVONDEN: zie $out/$h.log en $out/crash-$h-*"
    status=1
  fi
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" "$out/$h.log" | tail -3 | sed 's/^/   /'
done
exit $status
