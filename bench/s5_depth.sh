#!/usr/bin/env bash
# The S5 word problem's NC1 form against T (docs/finite.md): size and depth of
# `lift-scan; lower-int; lower-bool; nc1` on examples/specs/s5.toml, ABC's `lev` of the AIGER
# rnncc writes, and what ABC's own depth optimisation still finds: resyn2 spelled out (Debian's
# berkeley-abc ships no abc.rc), `&st; &sopb`, and `dch; if -x; strash`.
#
# usage: bench/s5_depth.sh [RNNCC] [MAX_LOG2_T] [MAX_LOG2_T_FOR_ABC_OPT]   (defaults: build/release/tools/rnncc 16 12)
set -euo pipefail
rnncc=${1:-build/release/tools/rnncc}
max=${2:-16}
max_opt=${3:-12}
[[ "$max" =~ ^[0-9]+$ && "$max_opt" =~ ^[0-9]+$ ]] || { echo "s5_depth.sh: the bounds are numbers" >&2; exit 2; }
spec=$(dirname "$0")/../examples/specs/s5.toml
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
resyn2="balance; rewrite; refactor; balance; rewrite; rewrite -z; balance; refactor -z; rewrite -z; balance"
lev() { sed 's/\x1b\[[0-9;]*m//g' | sed -n 's/.*and *= *\([0-9]*\) *lev *= *\([0-9]*\).*/\2/p'; }

echo "| T | nc1 size | nc1 depth (not free) | ABC and | ABC lev | resyn2 lev | &st; &sopb lev | dch; if -x lev |"
echo "|---|---|---|---|---|---|---|---|"
for ((k = 4; k <= max; k++)); do
  T=$((1 << k))
  "$rnncc" compile "$spec" -T "$T" -p 'lift-scan -n brent-kung --finite require; lower-int; lower-bool; nc1' -o "$dir/s5.aig" >/dev/null
  read -r size depth < <("$rnncc" report "$dir/s5.aig" --not-free --json |
    python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["size"], j["depth"])')
  stats=$(berkeley-abc -c "read $dir/s5.aig; print_stats" | sed 's/\x1b\[[0-9;]*m//g')
  ands=$(echo "$stats" | sed -n 's/.*and *= *\([0-9]*\).*/\1/p')
  abclev=$(echo "$stats" | lev)
  if ((k <= max_opt)); then
    r2=$(berkeley-abc -c "read $dir/s5.aig; $resyn2; print_stats" | lev)
    sopb=$(berkeley-abc -c "read $dir/s5.aig; &get; &st; &sopb; &put; print_stats" | lev)
    dch=$(berkeley-abc -c "read $dir/s5.aig; dch; if -x; strash; print_stats" | lev)
  else
    r2=-; sopb=-; dch=-
  fi
  echo "| $T | $size | $depth | $ands | $abclev | $r2 | $sopb | $dch |"
done
