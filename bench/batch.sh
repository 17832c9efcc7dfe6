#!/usr/bin/env bash
# Batch throughput (issue 6): pages per minute with --jobs 1 and --jobs 2 over the same
# synthesised pages, plain `tesseract` over the same files one after another, peak memory, and the
# time of a second run over the same folder (everything up to date).
#
#   bash bench/batch.sh SEED ISSUES WORKDIR [PIPELINE]     e.g. bash bench/batch.sh 1100 5 /tmp/bb
#
# Run it on an otherwise idle machine: the figures are ratios of wall times.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bs="$root/build/pipeline/app/broadsheet"
synth="$root/build/tests/synth/broadsheet-synth"
seed=${1:?seed}; issues=${2:?issues}; work=${3:?workdir}; pipeline=${4:-baseline}
export OMP_THREAD_LIMIT=1
rm -rf "$work"; mkdir -p "$work"
"$synth" --seed "$seed" --issues "$issues" -o "$work/scans" -q
pages=$(find "$work/scans" -type f \( -name '*.jpg' -o -name '*.png' \) | sort)
n=$(echo "$pages" | wc -l)

timed() {  # timed NAME CMD... → prints seconds, stores peak RSS (KiB) in $work/NAME.rss
  local name=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$work/$name.rss" "$@" >/dev/null 2>"$work/$name.log" || true
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

j1=$(timed jobs1 "$bs" run "$work/scans" -o "$work/out1" --jobs 1 --pipeline "$pipeline" -q)
j2=$(timed jobs2 "$bs" run "$work/scans" -o "$work/out2" --jobs 2 --pipeline "$pipeline" -q)
again=$(timed again "$bs" run "$work/scans" -o "$work/out2" --jobs 2 --pipeline "$pipeline" -q)
t0=$(date +%s.%N)
tmax=0
for p in $pages; do
  /usr/bin/time -f '%M' -o "$work/t.rss" tesseract "$p" - -l chi_tra --psm 3 >/dev/null 2>&1
  r=$(cat "$work/t.rss"); [ "$r" -gt "$tmax" ] && tmax=$r
done
tess=$(echo "$(date +%s.%N) - $t0" | bc -l)

ppm() { echo "60 * $n / $1" | bc -l; }
mib() { echo "$(cat "$work/$1.rss") / 1024" | bc -l; }
{
  printf 'pages\t%d\tpipeline\t%s\n' "$n" "$pipeline"
  printf 'run\tseconds\tpages_per_min\tpeak_rss_mib\n'
  printf 'broadsheet --jobs 1\t%.1f\t%.2f\t%.0f\n' "$j1" "$(ppm "$j1")" "$(mib jobs1)"
  printf 'broadsheet --jobs 2\t%.1f\t%.2f\t%.0f\n' "$j2" "$(ppm "$j2")" "$(mib jobs2)"
  printf 'broadsheet again (all up to date)\t%.2f\t-\t%.0f\n' "$again" "$(mib again)"
  printf 'tesseract --psm 3, one after another\t%.1f\t%.2f\t%.0f\n' "$tess" "$(ppm "$tess")" "$(echo "$tmax / 1024" | bc -l)"
  printf 'speed-up jobs 2 / jobs 1\t%.2f\n' "$(echo "$j1 / $j2" | bc -l)"
  printf 'second run / first run (jobs 2)\t%.4f\n' "$(echo "$again / $j2" | bc -l)"
  printf 'broadsheet jobs 1 / tesseract (time)\t%.2f\n' "$(echo "$j1 / $tess" | bc -l)"
} | tee "$work/batch.tsv"
