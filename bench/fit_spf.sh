#!/bin/bash
# Benchmark: rumble fit-spf against R's MASS::glm.nb on the same sites.
# R (set.seed(7)) writes N synthetic segment-years with known parameters:
#   mu = exp(-7.5 + 0.95 ln AADT + 1.0 ln L + 0.3 x1 - 0.2 x2), k = 0.4
# then each fits the NB2 model ln AADT + ln L + x1 + x2; the script prints both
# times, the ratio and both sets of coefficients.
# usage: bench/fit_spf.sh [N]   (default 100000)
set -eu
N=${1:-100000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if ! command -v Rscript >/dev/null || ! Rscript -e 'library(MASS)' >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends r-base-core r-cran-mass >/dev/null
    else
        echo "bench: needs R and MASS; run: sudo apt-get install -y r-base-core r-cran-mass" >&2
        exit 1
    fi
fi
Rscript -e "set.seed(7); n <- $N; aadt <- runif(n, 500, 20000); len <- runif(n, 0.1, 5);
  x1 <- rbinom(n, 1, 0.4); x2 <- runif(n, 0, 3);
  mu <- exp(-7.5 + 0.95 * log(aadt) + log(len) + 0.3 * x1 - 0.2 * x2);
  y <- rnbinom(n, size = 1 / 0.4, mu = mu);
  write.csv(data.frame(id = 1:n, aadt = aadt, length_km = len, x1 = x1, x2 = x2, crashes = y),
            '$WORK/sites.csv', row.names = FALSE)"
now() { date +%s.%N; }
t0=$(now)
"$ROOT/build/rumble" fit-spf --sites "$WORK/sites.csv" --count crashes --aadt aadt --length length_km \
    --covariates x1,x2 -o "$WORK/spf.json" > "$WORK/rumble.txt"
t1=$(now)
Rscript -e "suppressMessages(library(MASS)); d <- read.csv('$WORK/sites.csv');
  m <- glm.nb(crashes ~ log(aadt) + log(length_km) + x1 + x2, data = d);
  print(round(coef(m), 6)); cat('theta', round(m\$theta, 6), 'k', round(1 / m\$theta, 6), '\n')" > "$WORK/r.txt"
t2=$(now)
tr=$(echo "$t1 - $t0" | bc -l); tR=$(echo "$t2 - $t1" | bc -l)
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(R --version | head -1)"
echo "== N = $N sites"
cat "$WORK/rumble.txt" | sed -n '2,7p'
echo "R MASS::glm.nb (includes reading the CSV in R):"
cat "$WORK/r.txt"
printf 'rumble fit-spf: %.2f s end to end; R glm.nb: %.2f s end to end; R / rumble = %.1fx\n' "$tr" "$tR" "$(echo "$tR / $tr" | bc -l)"
