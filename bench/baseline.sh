#!/usr/bin/env bash
# Baseline benchmark (issue 2): broadsheet's whole-page baseline and plain `tesseract` on the same
# pages, one after the other in the same run, one core each (OMP_THREAD_LIMIT=1), then
# `broadsheet eval` on both.
#
#   bash bench/baseline.sh synth  SEED ISSUES WORKDIR   a synthesised set (test seeds: see README)
#   bash bench/baseline.sh scans  WORKDIR               the sample issue in scans/
#
# Writes WORKDIR/{broadsheet,tesseract}/…/issue.json, WORKDIR/eval-*.txt|json and WORKDIR/times.tsv.
# Needs a build (bash .ci/bootstrap build) and python3 (only to wrap tesseract's text as issue.json).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bs="$root/build/pipeline/app/broadsheet"
synth="$root/build/tests/synth/broadsheet-synth"
export OMP_THREAD_LIMIT=1

mode=${1:?usage: baseline.sh synth SEED ISSUES WORKDIR | scans WORKDIR}
case "$mode" in
  synth) seed=$2; issues=$3; work=$4
         rm -rf "$work"; mkdir -p "$work"
         "$synth" --seed "$seed" --issues "$issues" -o "$work/scans" ;;
  scans) work=$2; rm -rf "$work"; mkdir -p "$work"; cp -r "$root/scans" "$work/scans" ;;
  *) echo "unknown mode $mode" >&2; exit 1 ;;
esac

pages=$(find "$work/scans" -type f \( -name '*.jpg' -o -name '*.png' -o -name '*.tif' \) | sort)
n=$(echo "$pages" | wc -l)
echo "pages: $n" >&2

# 1. broadsheet, one worker.
start=$(date +%s.%N)
/usr/bin/time -f '%M' -o "$work/broadsheet.maxrss" \
  "$bs" run "$work/scans" -o "$work/broadsheet" --jobs 1 -q || true
bs_s=$(echo "$(date +%s.%N) - $start" | bc)

# 2. plain tesseract, same pages, one after another.
start=$(date +%s.%N)
maxrss=0
for p in $pages; do
  rel=${p#"$work/scans/"}
  mkdir -p "$work/tesseract-txt/$(dirname "$rel")"
  /usr/bin/time -f '%M' -o "$work/t.rss" tesseract "$p" - -l chi_tra --psm 3 \
    > "$work/tesseract-txt/$rel.txt" 2>/dev/null
  r=$(cat "$work/t.rss"); [ "$r" -gt "$maxrss" ] && maxrss=$r
done
t_s=$(echo "$(date +%s.%N) - $start" | bc)

# Wrap tesseract's text as issue.json so that the same eval reads it.
python3 - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
scans = os.path.join(work, "scans")
for dirpath, _, files in os.walk(scans):
    if "truth.json" not in files:
        continue
    rel = os.path.relpath(dirpath, scans)
    truth = json.load(open(os.path.join(dirpath, "truth.json"), encoding="utf-8"))
    pages = []
    for i, tp in enumerate(truth["pages"]):
        txt = os.path.join(work, "tesseract-txt", rel, tp["image"] + ".txt")
        text = open(txt, encoding="utf-8").read() if os.path.exists(txt) else ""
        pages.append({"page": i + 1, "scan_index": i, "image": tp["image"], "text": text, "regions": []})
    out = {"schema_version": 1, "issue": {"id": rel}, "pages": pages, "articles": [],
           "provenance": {"tool": "tesseract --psm 3"}}
    os.makedirs(os.path.join(work, "tesseract", rel), exist_ok=True)
    json.dump(out, open(os.path.join(work, "tesseract", rel, "issue.json"), "w", encoding="utf-8"),
              ensure_ascii=False)
PY

"$bs" eval "$work/scans" "$work/broadsheet" > "$work/eval-broadsheet.txt"
"$bs" eval "$work/scans" "$work/broadsheet" --json > "$work/eval-broadsheet.json"
"$bs" eval "$work/scans" "$work/tesseract" > "$work/eval-tesseract.txt"
"$bs" eval "$work/scans" "$work/tesseract" --json > "$work/eval-tesseract.json"

bs_rss=$(cat "$work/broadsheet.maxrss")
{
  printf 'tool\tpages\tseconds\ts_per_page\tpeak_rss_mib\n'
  printf 'broadsheet --jobs 1\t%d\t%.1f\t%.2f\t%.0f\n' "$n" "$bs_s" "$(echo "$bs_s / $n" | bc -l)" "$(echo "$bs_rss / 1024" | bc -l)"
  printf 'tesseract --psm 3\t%d\t%.1f\t%.2f\t%.0f\n' "$n" "$t_s" "$(echo "$t_s / $n" | bc -l)" "$(echo "$maxrss / 1024" | bc -l)"
  printf 'ratio broadsheet/tesseract (time)\t\t%.2f\n' "$(echo "$bs_s / $t_s" | bc -l)"
} | tee "$work/times.tsv"
echo "--- broadsheet baseline"; cat "$work/eval-broadsheet.txt"
echo "--- plain tesseract";     cat "$work/eval-tesseract.txt"
