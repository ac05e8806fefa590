#!/usr/bin/env bash
# The programs the tests use beyond Node, as Debian packages: make (generated Makefiles), ps (process
# checks), dot (graph views), tmux, zsh and fish (completions and the status line on a real terminal),
# /usr/bin/time (memory measured) and a python3 (the Python tools themselves, build, twine, pytest,
# pre-commit and pypiserver, come from test/python/requirements.txt into a venv made by
# scripts/python-env.mjs, never from Debian). A quick no-op when all are there. The missing ones are installed
# where that is safe to do unasked: as root (a fresh container), or with passwordless sudo on a CI
# runner (CI=true, as GitHub sets it). Anywhere else (your own machine) it names them and fails, so
# that `run check` stops before tests fail for want of a program.
set -euo pipefail

missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need make make
need ps procps
need dot graphviz
need tmux tmux
need zsh zsh
need fish fish
[ -x /usr/bin/time ] || missing+=(time)
need python3 python3
((${#missing[@]})) || exit 0

if [ "$(id -u)" = 0 ]; then
  sudo=()
elif [ "${CI:-}" = true ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "the tests need these Debian packages: ${missing[*]}" >&2
  echo "install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "the tests need these Debian packages, and there is no apt-get here: ${missing[*]}" >&2
  exit 1
fi
echo "installing the Debian packages the tests use: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
