#!/usr/bin/env bash
# Unsigned N x N -> 2N multipliers from `lower-bool`, every multiplier x adder setting, next to
# yosys: ANDs and levels by ABC's `print_stats` on the AIGER each writes (docs/passes.md,
# "lower-bool"). rnncc's circuit is the integer circuit y = a * b (circuit file, no ranges), lowered
# with --input-bits N; yosys's is `assign y = a * b;` through `synth -flatten; aigmap`.
#
# usage: bench/multipliers.sh [RNNCC] [N ...]     (default: build/release/tools/rnncc, 16 64)
set -euo pipefail
rnncc=${1:-build/release/tools/rnncc}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(16 64)
for n in "${sizes[@]}"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "multipliers.sh: N must be a number, got '$n'" >&2; exit 2; }
done
command -v berkeley-abc >/dev/null || { echo "multipliers.sh: berkeley-abc is missing (scripts/setup-deps)" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf 'rnncc 1\n0 = input a\n1 = input b\n2 = mul 0 1\noutput y = 2\n' > "$dir/mul.rc"

stats() {  # ANDs and levels of an AIGER file, by ABC
  berkeley-abc -c "read $1; print_stats" | sed 's/\x1b\[[0-9;]*m//g' |
    sed -n 's/.*and *= *\([0-9]*\) *lev *= *\([0-9]*\).*/\1 \2/p'
}

for n in "${sizes[@]}"; do
  echo "## ${n} x ${n} -> $((2 * n)) bits, unsigned"
  echo
  echo "| multiplier | adder | ANDs | levels |"
  echo "|---|---|---|---|"
  for m in array wallace dadda; do
    for a in ripple sklansky kogge-stone brent-kung; do
      "$rnncc" compile "$dir/mul.rc" -p "lower-bool -k $n -m $m -a $a" -o "$dir/m.aig" >/dev/null
      read -r ands lev < <(stats "$dir/m.aig")
      echo "| $m | $a | $ands | $lev |"
    done
  done
  if command -v yosys >/dev/null; then
    printf 'module m(input [%d:0] a, b, output [%d:0] y); assign y = a * b; endmodule\n' $((n - 1)) $((2 * n - 1)) > "$dir/m.v"
    (cd "$dir" && yosys -q -p "read_verilog m.v; synth -flatten; aigmap; write_aiger y.aig" >/dev/null)
    read -r ands lev < <(stats "$dir/y.aig")
    echo "| yosys $(yosys -V | awk '{print $2}') | synth -flatten; aigmap | $ands | $lev |"
  else
    echo "(yosys is missing: scripts/setup-deps installs it)"
  fi
  echo
done
