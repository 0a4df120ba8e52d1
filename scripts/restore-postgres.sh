#!/usr/bin/env bash
# Restore a backup made by scripts/backup-postgres.sh into a fresh PostgreSQL database,
# then check it.
#
#   scripts/restore-postgres.sh -d TARGET_URL [-s SHA256] FILE
#
#   -d  the target database (a SQLAlchemy URL or libpq URI); create it first, e.g.
#       createdb wpb_hersteld. The schemas of the archive must not hold tables there
#       (a backup made with -n SCHEMA is restored into that schema, created anew)
#   -s  the SHA-256 the backup printed: refuse a file that does not match
#
# The restore runs as one transaction (--single-transaction --exit-on-error): it is
# complete or it left nothing. Afterwards `wpb db status` (schema is at the newest
# migration) and `wpb audit verify` (the audit log's hash chain is intact) run against
# the restored database; a broken chain means the archive or the source was tampered with.
set -euo pipefail

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

url=""
expect=""
while getopts "d:s:h" opt; do
  case "$opt" in
    d) url="$OPTARG" ;;
    s) expect="$OPTARG" ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
file="${1:-}"
[ -n "$url" ] && [ -n "$file" ] || usage
[ -r "$file" ] || { echo "restore-postgres: $file is niet leesbaar" >&2; exit 2; }
for tool in pg_restore psql sha256sum; do
  command -v "$tool" >/dev/null || { echo "restore-postgres: $tool ontbreekt" >&2; exit 2; }
done

if [ -n "$expect" ]; then
  actual="$(sha256sum "$file" | cut -d' ' -f1)"
  if [ "$actual" != "$expect" ]; then
    echo "restore-postgres: sha256 van $file is $actual, verwacht $expect" >&2
    exit 1
  fi
fi

libpq_url="$(printf '%s' "$url" | sed -E 's#^postgres(ql)?\+[a-z0-9]+://#postgresql://#')"
sqlalchemy_url="$(printf '%s' "$libpq_url" | sed -E 's#^postgresql://#postgresql+psycopg://#')"
psql_q() { psql "$libpq_url" -X -v ON_ERROR_STOP=1 -qtAc "$1"; }

# The schemas the archive brings along (a backup made with -n holds exactly one).
schemas="$(pg_restore --list "$file" | awk '$4 == "SCHEMA" {print $6}' | sort -u)"
[ -n "$schemas" ] || schemas="public"
for s in $schemas; do
  case "$s" in *[!a-zA-Z0-9_]*) echo "restore-postgres: onverwachte schemanaam in het archief" >&2; exit 1 ;; esac
  existing="$(psql_q "SELECT count(*) FROM information_schema.tables WHERE table_schema = '$s'")"
  if [ "$existing" != "0" ]; then
    echo "restore-postgres: schema $s in de doeldatabase heeft al $existing tabel(len); herstel alleen in een lege database" >&2
    exit 1
  fi
done

pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$libpq_url" "$file"

target_url="$sqlalchemy_url"
if [ "$(printf '%s\n' "$schemas" | grep -c .)" = "1" ] && [ "$schemas" != "public" ]; then
  sep="$(case "$sqlalchemy_url" in *\?*) echo '&' ;; *) echo '?' ;; esac)"
  target_url="${sqlalchemy_url}${sep}options=-csearch_path%3D${schemas}"
fi

wpb="${WPB:-wpb}"
if command -v "$wpb" >/dev/null; then
  WPB_DATABASE_URL="$target_url" WPB_SAMPLE_DATA=nee "$wpb" db status
  WPB_DATABASE_URL="$target_url" WPB_SAMPLE_DATA=nee "$wpb" audit verify
else
  echo "restore-postgres: 'wpb' niet gevonden (zet WPB=/pad/naar/wpb); controle overgeslagen" >&2
  exit 1
fi
echo "hersteld: $file in $(printf '%s' "$target_url" | sed -E 's#://[^@]*@#://***@#')"
