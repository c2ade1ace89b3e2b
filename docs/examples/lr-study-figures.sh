#!/bin/sh
# Regenerates every figure of the learning-rate study into a folder:
# runs the study (LR 0.01, 0.1, 1) into a fresh session database there, then
# draws the loss and accuracy charts Compare exports (SVG and 2x PNG; over
# iterations and over examples seen; the test loss also on a log axis), and
# writes the metrics as CSV and the session's HTML report.
#
#   sh docs/examples/lr-study-figures.sh [FOLDER] [study flags, e.g. --small --seeds 3]
#
# MOMENTUM_LAB names the command (default: momentum-lab, after `npm link`;
# e.g. MOMENTUM_LAB="node bin/momentum-lab.mjs" from a checkout).
set -eu
ML=${MOMENTUM_LAB:-momentum-lab}
OUT=${1:-lr-study-figures}
[ $# -gt 0 ] && shift
DB="$OUT/lr-study.db"
S="LR study"
mkdir -p "$OUT"
rm -f "$DB" "$DB-wal" "$DB-shm" # a fresh study: the figures show this run's runs only

$ML study lr --values 0.01,0.1,1 --db "$DB" --session "$S" "$@"

for x in iteration examples; do
  for m in loss acc; do
    $ML figure "$S" --runs all --metric "test-$m,train-$m" --x "$x" --out "$OUT/lr-$m-$x.svg" --force --db "$DB"
    $ML figure "$S" --runs all --metric "test-$m,train-$m" --x "$x" --out "$OUT/lr-$m-$x.png" --scale 2 --force --db "$DB"
  done
done
$ML figure "$S" --runs all --metric test-loss --x iteration --log --out "$OUT/lr-test-loss-log.svg" --force --db "$DB"
$ML sessions csv "$S" --out "$OUT/lr-study.csv" --force --db "$DB"
$ML sessions report "$S" --out "$OUT/lr-study.html" --force --db "$DB"
