#!/usr/bin/env bash
# Checks that `newsflow extract` gives byte-identical output at a git
# revision (default `main`) and in the working tree, over the Reuters and BBC
# corpora in ../shared/corpora. For refactorings that must not change
# behaviour.
#
#   scripts/check-extract-identical.sh [REV]
#
# Against a moving main, pass the fork point: $(git merge-base HEAD main).
#
# The revision's binary is built once in a temporary `git worktree`, with the
# repository's own target directory so the dependencies are not rebuilt, and
# kept with its outputs under target/check-extract/<commit>/; later runs
# against the same commit only build and run the working tree (building the
# revision touches the working tree's sources so Cargo rebuilds them next). The binary
# carries its data files, so each side reads the data of its own revision.
# Prints each output's sha256 and line count; exits 1 on a difference,
# showing the first differing lines, 2 when something cannot be run.
set -euo pipefail

rev="${1:-main}"
root="$(git rev-parse --show-toplevel)"
cd "$root"
corpora="$root/../shared/corpora"
names=(reuters21578-train bbc)
for n in "${names[@]}"; do
  [[ -f "$corpora/$n.jsonl" ]] || { echo "missing corpus $corpora/$n.jsonl" >&2; exit 2; }
done

commit="$(git rev-parse --verify "$rev^{commit}")" || { echo "unknown revision $rev" >&2; exit 2; }
target="${CARGO_TARGET_DIR:-$root/target}"
cache="$target/check-extract/$commit"
mkdir -p "$cache"

run_extract() { # binary, output directory
  local n
  for n in "${names[@]}"; do
    "$1" extract "$corpora/$n.jsonl" >"$2/$n.jsonl" 2>"$2/$n.stderr" ||
      { echo "extract failed: $1 on $n (see $2/$n.stderr)" >&2; exit 2; }
  done
}

if [[ ! -f "$cache/done" ]]; then
  tmp="$(mktemp -d)"
  trap 'git worktree remove --force "$tmp/src" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
  echo "building $rev ($commit) in a temporary worktree" >&2
  git worktree add --detach --quiet "$tmp/src" "$commit"
  (cd "$tmp/src" && CARGO_TARGET_DIR="$target" cargo build --release --quiet --bin newsflow)
  cp "$target/release/newsflow" "$cache/newsflow"
  run_extract "$cache/newsflow" "$cache"
  touch "$cache/done"
  # Cargo's freshness check is by modification time, and the revision's
  # sources were just written: make the working tree's newer again, so its
  # crate and embedded data are rebuilt rather than taken from the revision.
  find src data build.rs Cargo.toml -type f -exec touch {} +
fi

echo "building the working tree" >&2
CARGO_TARGET_DIR="$target" cargo build --release --quiet --bin newsflow
work="$target/check-extract/worktree"
rm -rf "$work"
mkdir -p "$work"
if cmp -s "$target/release/newsflow" "$cache/newsflow"; then
  echo "the working tree's binary is the revision's: a stale build" >&2
  exit 2
fi
run_extract "$target/release/newsflow" "$work"

status=0
for n in "${names[@]}"; do
  a="$cache/$n.jsonl" b="$work/$n.jsonl"
  printf '%-20s %s: %s %8d lines\n' "$n" "$rev" "$(sha256sum <"$a" | cut -c1-64)" "$(wc -l <"$a")"
  printf '%-20s %s: %s %8d lines\n' "$n" "work" "$(sha256sum <"$b" | cut -c1-64)" "$(wc -l <"$b")"
  if cmp -s "$a" "$b"; then
    echo "$n: identical"
  else
    status=1
    line="$(cmp "$a" "$b" || true)"
    line="$(echo "$line" | sed -n 's/.* line \([0-9]*\).*/\1/p')"
    line="${line:-1}"
    # The byte of that line where they part, and 300 bytes around it.
    col="$(cmp <(sed -n "${line}p" "$a") <(sed -n "${line}p" "$b") || true)"
    col="$(echo "$col" | sed -n 's/.* byte \([0-9]*\).*/\1/p')"
    from=$(( ${col:-1} > 100 ? ${col:-1} - 100 : 1 ))
    echo "$n: DIFFERENT, first at line $line, byte $col of the line"
    echo "  $rev: ...$(sed -n "${line}p" "$a" | cut -b"$from-$((from + 300))")"
    echo "  work: ...$(sed -n "${line}p" "$b" | cut -b"$from-$((from + 300))")"
  fi
  if ! cmp -s "$cache/$n.stderr" "$work/$n.stderr"; then
    status=1
    echo "$n: stderr differs"
    diff "$cache/$n.stderr" "$work/$n.stderr" | head -5 || true
  fi
done
exit "$status"
