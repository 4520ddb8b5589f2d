# Sourced by the grid benchmarks: sizes from the arguments, paths, timing helpers.
# usage in a script: . "$(dirname "$0")/common.sh" "$@"
N=${1:-1000000}
M=${2:-$N}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$ROOT/build
WORK=${RUMBLE_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$WORK"
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l | xargs printf '%.2f'; }
machine() { echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"; }
