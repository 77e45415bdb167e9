#!/usr/bin/env bash
# Runs a libFuzzer harness once over each committed input (its corpus and its
# crash regressions) and fails when the harness fails on any of them: a
# regression of a fixed crash, a sanitizer report or a broken invariant.
# Prints the harness's last line on success, its whole output on failure.
# Usage: replay.sh HARNESS DIR...
set -uo pipefail
bin=$1
shift
dirs=()
for d in "$@"; do [ -d "$d" ] && dirs+=("$d"); done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log=$tmp/log
# a failing input is committed already: no crash-* copy in the working dir
if "$bin" -runs=0 -artifact_prefix="$tmp/" "${dirs[@]}" >"$log" 2>&1; then
	tail -1 "$log"
else
	rc=$?
	cat "$log"
	echo "replay: $bin failed (exit $rc) on a committed input" >&2
	exit 1
fi
