#!/usr/bin/env bash
# `make bench`: times `treatyline build` (and, separately, `treatyline render`) at 1x, 10x and 100x
# the vertices of geodata/ against the shapely/pyproj reference pipeline, checks that both agree,
# and writes the table into BENCHMARKS.md. The densified geodata lives in a temporary folder.
# Options go to benches/bench.py (e.g. `bash benches/run.sh --sizes 1,10 --runs 3`).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-target/release/treatyline}
if [ ! -x "$BIN" ]; then
  echo "benches/run.sh: $BIN is missing; run \`make build\` (or \`make bench\`) first" >&2
  exit 1
fi
PY=${PYTHON:-python3}
"$PY" -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ (tomllib) is needed"'
if ! "$PY" -c 'import shapely, pyproj, numpy' 2>/dev/null; then
  echo "benches/run.sh: installing shapely and pyproj (pip)" >&2
  "$PY" -m pip install --quiet shapely pyproj numpy
fi
"$PY" -c 'import shapely; assert tuple(map(int, shapely.__version__.split(".")[:2])) >= (2, 1) or hasattr(shapely, "coverage_union_all")' \
  || "$PY" -m pip install --quiet --upgrade 'shapely>=2.0'
if [ ! -x /usr/bin/time ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get install -y -qq time >/dev/null 2>&1 || true   # else bench.py falls back to getrusage
fi
exec "$PY" benches/bench.py --bin "$BIN" "$@"
