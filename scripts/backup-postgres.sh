#!/usr/bin/env bash
# Back up the transfer service's PostgreSQL database with pg_dump (custom format).
#
#   scripts/backup-postgres.sh [-d DATABASE_URL] [-n SCHEMA] [-o FILE]
#
#   -d  the database (default: $WPB_DATABASE_URL); a SQLAlchemy URL such as
#       postgresql+psycopg://user@host:5432/wpb is accepted as well as a libpq URI
#   -n  only this schema (default: everything in the database)
#   -o  the archive to write (default: wpb-<database>-<UTC time>.dump in the current directory)
#
# The archive holds BSNs, addresses and the audit log: it is written with mode 0600 and
# must be stored encrypted, with the same access rules as the database itself. The
# password comes from the URL, ~/.pgpass or PGPASSWORD, never from the command line of
# this script. After writing, the archive is read back with pg_restore --list; its
# SHA-256 is printed so a restore can check it got the same file.
#
# Restore with scripts/restore-postgres.sh into an empty database (tested by
# tests/reliability/test_backup_restore.py).
set -euo pipefail

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

url="${WPB_DATABASE_URL:-}"
schema=""
out=""
while getopts "d:n:o:h" opt; do
  case "$opt" in
    d) url="$OPTARG" ;;
    n) schema="$OPTARG" ;;
    o) out="$OPTARG" ;;
    *) usage ;;
  esac
done

if [ -z "$url" ]; then
  echo "backup-postgres: geen database: geef -d of zet WPB_DATABASE_URL" >&2
  exit 2
fi
case "$url" in
  postgresql*|postgres*) ;;
  *) echo "backup-postgres: alleen PostgreSQL (een SQLite-bestand kopieer je met sqlite3 .backup)" >&2; exit 2 ;;
esac
for tool in pg_dump pg_restore sha256sum; do
  command -v "$tool" >/dev/null || { echo "backup-postgres: $tool ontbreekt" >&2; exit 2; }
done

# libpq does not know SQLAlchemy's driver suffix.
libpq_url="$(printf '%s' "$url" | sed -E 's#^postgres(ql)?\+[a-z0-9]+://#postgresql://#')"
database="$(printf '%s' "$libpq_url" | sed -E 's#^[a-z]+://[^/]*/([^?]*).*#\1#')"
if [ -z "$out" ]; then
  out="wpb-${database:-db}-$(date -u +%Y%m%dT%H%M%SZ).dump"
fi

args=(--format=custom --no-owner --no-privileges --compress=6 --file="$out")
if [ -n "$schema" ]; then
  args+=(--schema="$schema")
fi

umask 077
pg_dump "${args[@]}" --dbname="$libpq_url"
chmod 600 "$out"
# An archive that pg_restore cannot list is no backup.
tables="$(pg_restore --list "$out" | grep -c ' TABLE ' || true)"
if [ "$tables" -lt 1 ]; then
  echo "backup-postgres: $out bevat geen tabellen" >&2
  exit 1
fi
digest="$(sha256sum "$out" | cut -d' ' -f1)"
echo "backup: $out ($(wc -c < "$out") bytes, $tables tabellen, sha256 $digest)"
