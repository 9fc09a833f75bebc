#!/bin/sh
# Every output of the generator for one content folder at several dates, into one folder, so that two
# versions of the code can be compared byte for byte (issue 15: a restructure changes nothing):
#   tests/tools/snapshot.sh ROOT OUT [DATES...]; then diff -r OUT-before OUT-after
# Writes the built site (HTML, search index, feeds, .ics, sitemap), the generated docs folder, the
# newsletter drafts of two months, the year's report and the social drafts.
set -eu
root=$(cd "$1" && pwd); out=$2; shift 2
dates=${*:-2025-03-20 2025-10-01 2026-03-31 2026-04-01}
here=$(cd "$(dirname "$0")/../.." && pwd)
py="$here/.venv/bin/python"
rm -rf "$out"; mkdir -p "$out"; out=$(cd "$out" && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp -r "$root"/. "$work/"; rm -rf "$work/site" "$work/build" "$work/out" "$work/.venv" "$work/node_modules"
ln -s "$here/node_modules" "$work/node_modules"
cd "$here"
for day in $dates; do
  d="$out/$day"; mkdir -p "$d"
  PYTHONPATH="$here" "$py" -m generator build --root "$work" --today "$day" --out "$d/site" >"$d/build.log" 2>&1
  cp -r "$work/build" "$d/build"; rm -f "$d/build/timings.json"
  month=$(echo "$day" | cut -c1-7)
  PYTHONPATH="$here" "$py" -m generator newsletter --root "$work" --today "$day" --out "$d/newsletters" "$month" >"$d/newsletter.log" 2>&1 || true
  PYTHONPATH="$here" "$py" -m generator social --root "$work" --today "$day" --out "$d/social.txt" >"$d/social.log" 2>&1 || true
  year=$(echo "$day" | cut -c1-4); [ "$(echo "$day" | cut -c6-7)" -ge 4 ] || year=$((year - 1))
  PYTHONPATH="$here" "$py" -m generator report --root "$work" --today "$day" --out "$d/reports" "$year" >"$d/report.log" 2>&1 || true
  sed -i "s|$out|OUT|g" "$d"/*.log  # the logs name the folder
done
echo "$out"
