#!/usr/bin/env bash
# Runs the trust center on loopback: tc-search on a unix socket behind nginx
# on 127.0.0.1:PORT, in the foreground. Ctrl-C or SIGTERM stops both and
# removes the run folder; nothing is left running.
#
#   deploy/serve.sh [--port N] [--root DIR] [--index FILE] [--bin DIR] [--workers N]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=8080 root=public index=tc-index.sqlite bin=build workers=2
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port=$2; shift 2;;
    --root) root=$2; shift 2;;
    --index) index=$2; shift 2;;
    --bin) bin=$2; shift 2;;
    --workers) workers=$2; shift 2;;
    *) echo "serve.sh: unknown option $1" >&2; exit 2;;
  esac
done
root=$(cd "$root" && pwd)
index=$(cd "$(dirname "$index")" && pwd)/$(basename "$index")
bin=$(cd "$bin" && pwd)
run=$(mktemp -d "${TMPDIR:-/tmp}/tc-serve-XXXXXX")
chmod 755 "$run"
search_pid="" nginx_pid=""
cleanup() {
  # Ignore, not reset: SIGTERM to the process group often arrives twice
  # (make forwards it to its child), and a second one with the default
  # action would kill this shell before the run folder is removed.
  trap '' INT TERM
  trap - EXIT
  [ -n "$nginx_pid" ] && kill -TERM "$nginx_pid" 2>/dev/null || true
  [ -n "$search_pid" ] && kill -TERM "$search_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$run"
}
trap cleanup EXIT
# Ignored from the first one on: a second signal must not run `exit` again
# in the middle of the cleanup.
trap 'trap "" INT TERM; exit 0' INT TERM

# A port another program listens on: said plainly, before anything starts
# (nginx would fail to bind, and a check of the port would talk to that
# program instead).
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "serve.sh: port $port on 127.0.0.1 is taken by another program; stop it or choose another port (make serve PORT=8081, or --port)" >&2
  exit 1
fi

user=""
[ "$(id -u)" = 0 ] && user="user root;"
# the language of the root pages (<html lang="..">): its /<lang>/ paths
# lead to the root
lang=$(sed -n 's/^<html lang="\([a-z]*\)".*/\1/p' "$root/index.html" 2>/dev/null | head -1)
# A site under a path of its base_url (the sitemap's first location,
# "https://example.org/tom/"): served under that path, from a folder that
# holds the site by that name.
base=$(sed -n 's|.*<loc>[a-z]*://[^/]*\(/[^<]*\)</loc>.*|\1|p' "$root/sitemap.xml" 2>/dev/null | head -1)
base=${base%/}
case "$base" in
  "") www=$root;;
  /*[!A-Za-z0-9._~/-]*) echo "serve.sh: base_url path '$base' has characters this script does not serve" >&2; exit 1;;
  *) www=$run/www; mkdir -p "$www$(dirname "$base")"; ln -s "$root" "$www$base";;
esac
sed -e "s|@LISTEN@|127.0.0.1:$port|" -e "s|@ROOT@|$www|" -e "s|@SOCKET@|$run/tc-search.sock|" \
  -e "s|@DEFAULT_LANG@|${lang:-en}|g" -e "s|@BASE@|$base|g" \
  "$here/tc-site.conf.in" > "$run/tc-site.conf"
sed -e "s|@RUN@|$run|g" -e "s|@USER@|$user|" "$here/nginx-local.conf.in" > "$run/nginx.conf"

"$bin/tc-search" --index "$index" --listen "$run/tc-search.sock" --workers "$workers" &
search_pid=$!
for _ in $(seq 100); do [ -S "$run/tc-search.sock" ] && break; sleep 0.05; done
[ -S "$run/tc-search.sock" ] || { echo "serve.sh: tc-search did not start" >&2; exit 1; }
nginx -c "$run/nginx.conf" -p "$run" -e "$run/error.log" &
nginx_pid=$!
# Ready when our nginx answers: a request for a path of this run's own
# making must show up in this run's access log (an answer from another
# program that took the port meanwhile does not).
probe="$base/.tc-ready-$(basename "$run")"
ready=""
for _ in $(seq 100); do
  if ! kill -0 "$nginx_pid" 2>/dev/null; then
    if grep -q 'Address already in use' "$run/error.log" 2>/dev/null; then
      echo "serve.sh: port $port on 127.0.0.1 is taken by another program; stop it or choose another port (make serve PORT=8081, or --port)" >&2
    else
      cat "$run/error.log" >&2
    fi
    exit 1
  fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$port" && printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$probe" >&3 && cat <&3 >/dev/null) 2>/dev/null &&
     grep -qF "$probe" "$run/access.log" 2>/dev/null; then
    ready=1
    break
  fi
  sleep 0.05
done
[ -n "$ready" ] || { echo "serve.sh: nginx on port $port did not answer" >&2; cat "$run/error.log" >&2; exit 1; }
echo "tc: serving $root on http://127.0.0.1:$port$base/ (tc-search pid $search_pid, nginx pid $nginx_pid; Ctrl-C stops both)"
wait -n "$search_pid" "$nginx_pid" || true
