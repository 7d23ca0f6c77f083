#!/usr/bin/env bash
# Iterated 3x3 integer matrix products (examples/specs/imm3.toml) against T (docs/finite.md):
# the arithmetic depth after lift-scan (log in T), the output width (linear in T), and the boolean
# depth of `lower-bool` for several adder/multiplier settings, with the boolean/arithmetic ratio.
#
# usage: bench/imm3_depth.sh [RNNCC] [MAX_LOG2_T]     (defaults: build/release/tools/rnncc 7)
set -euo pipefail
rnncc=${1:-build/release/tools/rnncc}
max=${2:-7}
[[ "$max" =~ ^[0-9]+$ ]] || { echo "imm3_depth.sh: MAX_LOG2_T is a number" >&2; exit 2; }
spec=$(dirname "$0")/../examples/specs/imm3.toml
settings=("-m dadda -a sklansky" "-m wallace -a kogge-stone" "-m dadda -a brent-kung" "-m array -a ripple")
field() { python3 -c "import json,sys; j=json.load(sys.stdin); r=j['passes'][-1]; print($1)"; }

header="| T | arithmetic depth | widest output (bits)"
for s in "${settings[@]}"; do header+=" | bool depth ($s) | ratio"; done
echo "$header |"
echo "|---|---|---$(printf '|---|---%.0s' "${settings[@]}")|"
for ((k = 1; k <= max; k++)); do
  T=$((1 << k))
  arith=$("$rnncc" report "$spec" -T "$T" -p 'lift-scan -n sklansky; lower-int' --json | field "r['depth_after']")
  row="| $T | $arith"
  first=1
  for s in "${settings[@]}"; do
    read -r depth width < <("$rnncc" report "$spec" -T "$T" -p "lift-scan -n sklansky; lower-int; lower-bool $s" --json |
      field "r['depth_after'], r['counters']['widest_output']")
    if ((first)); then row+=" | $width"; first=0; fi
    row+=" | $depth | $(python3 -c "print(f'{$depth/$arith:.2f}')")"
  done
  echo "$row |"
done
