#!/bin/bash
# `make install` into a staging directory (DESTDIR=tmp, PREFIX=/usr), then the
# installed tree used as a user would: the program runs, the man page renders
# and `man` finds it, a C program builds against the header and library through
# pkg-config and gives the figures worked out here, and `make uninstall`
# removes every file. The last line printed is "N passed, N failed".
# usage: tests/install.sh          (run by tests/run.sh; needs the plain build, current)
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
# a make of our own, not the sub-make of `make check`
unset MAKEFLAGS MFLAGS MAKELEVEL
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL [install] $*" >&2; }
check() {   # check WHAT COMMAND...: one assertion
    local what=$1; shift
    if "$@"; then ok; else bad "$what"; fi
}
finish() { echo "$passed passed, $failed failed"; [ "$failed" = 0 ]; exit; }

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
S=$T/stage
P=$S/usr
version=$(sed -n 's/^#define RB_VERSION "\(.*\)"/\1/p' src/core/core.h)

# install what `make` built; never build here (tests/run.sh runs the other tests
# beside this one, on that same build)
if ! make -q build/rumble build/librumble.a 2>/dev/null; then
    bad "build/rumble or build/librumble.a is not up to date with src/: run make first"; finish; fi
if make --no-print-directory install DESTDIR="$S" PREFIX=/usr >"$T/make.log" 2>&1; then ok; else
    bad "make install DESTDIR=$S PREFIX=/usr failed"; tail -20 "$T/make.log" | sed 's/^/    /' >&2; finish; fi

# ---- what goes where: the list worked out from the source tree, not from the Makefile
{
    echo usr/bin/rumble
    echo usr/lib/librumble.a
    echo usr/lib/pkgconfig/rumble.pc
    echo usr/share/man/man1/rumble.1
    for h in src/*.h src/*/*.h; do
        case $h in src/cli/*|*/internal.h) continue ;; esac
        echo "usr/include/rumble/${h#src/}"
    done
    (cd data && find . -path ./demo -prune -o -type f -print) | sed 's|^\./|usr/share/rumble/|'
} | LC_ALL=C sort > "$T/want.txt"
(cd "$S" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) > "$T/got.txt"
check "installed files differ from the expected list: $(diff "$T/want.txt" "$T/got.txt" | tr '\n' ' ')" \
    diff -q "$T/want.txt" "$T/got.txt"
same=1
while IFS= read -r f; do
    case $f in
    usr/include/rumble/*) src=src/${f#usr/include/rumble/} ;;
    usr/share/rumble/*) src=data/${f#usr/share/rumble/} ;;
    *) continue ;;
    esac
    cmp -s "$src" "$S/$f" || { same=0; echo "    $f differs from $src" >&2; }
done < "$T/want.txt"
check "installed headers and data are not copies of src/ and data/" [ "$same" = 1 ]
check "the program is not executable" [ -x "$P/bin/rumble" ]
check "installed files are not readable by all" \
    [ -z "$(find "$S" -type f ! -perm -444)" ]

# ---- the installed program
check "rumble --version: '$("$P/bin/rumble" --version 2>&1)'" \
    [ "$("$P/bin/rumble" --version 2>&1)" = "rumble $version" ]
"$P/bin/rumble" --help >"$T/help.txt" 2>&1
code=$?
check "rumble --help exits $code" [ "$code" = 0 ]
check "rumble --help prints no usage line" grep -q '^usage: rumble ' "$T/help.txt"
"$P/bin/rumble" match --help >"$T/help.txt" 2>&1
code=$?
check "rumble match --help exits $code or says nothing of rumble match" \
    eval '[ "$code" = 0 ] && grep -q "rumble match" "$T/help.txt"'

# ---- the man page: renders, and man finds it where it was put
if command -v man >/dev/null; then
    MANWIDTH=80 man -P cat -l "$P/share/man/man1/rumble.1" >"$T/man.txt" 2>"$T/man.err"
else
    groff -man -Tutf8 "$P/share/man/man1/rumble.1" >"$T/man.txt" 2>"$T/man.err"
fi
check "the man page does not render: $(head -3 "$T/man.err")" \
    grep -q '^RUMBLE(1)' "$T/man.txt"
check "the rendered man page lacks a command's section" grep -q 'RUMBLE SCREEN' "$T/man.txt"
if command -v man >/dev/null; then
    check "man -w rumble does not find the installed page" \
        [ "$(MANPATH="$P/share/man" man -w rumble 2>/dev/null)" = "$P/share/man/man1/rumble.1" ]
fi

# ---- pkg-config and a C program built against the installed header and library
export PKG_CONFIG_PATH=$P/lib/pkgconfig
pc() { pkg-config --define-variable=prefix="$P" "$@" rumble; }
check "pkg-config --modversion rumble: '$(pc --modversion 2>&1)'" [ "$(pc --modversion 2>&1)" = "$version" ]
check "pkg-config --variable=pkgdatadir rumble is not the installed data" \
    [ "$(pc --variable=pkgdatadir)" = "$P/share/rumble" ]
cat >"$T/prog.c" <<'EOF'
/* a program of a user's own: the umbrella header, a core call, a call that
 * reads the installed data (cJSON) and one that goes through GDAL */
#include <stdio.h>
#include <rumble/rumble.h>

int main(int argc, char **argv)
{
    struct rb_err err = {0};
    struct rb_costs costs;
    double xy[2] = {1.0, 0.0};   /* longitude 1, latitude 0 */

    if (argc != 2)
        return 2;
    printf("version %s\n", RB_VERSION);
    printf("days %ld\n", (long)rb_days_from_ymd(2020, 2, 29));
    if (rb_costs_read(argv[1], NULL, &costs, &err) != RB_OK) {
        fprintf(stderr, "prog: %s\n", err.msg);
        return 1;
    }
    printf("cost_K %.0f %s %d\n", costs.cost[0], costs.currency, costs.year);
    if (rb_io_transform("EPSG:4326", "EPSG:3857", xy, 1, &err) != RB_OK) {
        fprintf(stderr, "prog: %s\n", err.msg);
        return 1;
    }
    printf("mercator %.3f %.3f\n", xy[0], xy[1]);
    return 0;
}
EOF
# shellcheck disable=SC2046
if ${CC:-cc} -std=c11 -Wall -Wextra -Werror -o "$T/prog" "$T/prog.c" \
        $(pc --static --cflags --libs) >"$T/cc.log" 2>&1; then ok; else
    bad "a C program does not build with pkg-config --static --cflags --libs rumble"
    head -20 "$T/cc.log" | sed 's/^/    /' >&2
fi
if [ -x "$T/prog" ]; then
    "$T/prog" "$P/share/rumble" >"$T/prog.txt" 2>&1
    check "the program exits $?: $(head -3 "$T/prog.txt")" [ -s "$T/prog.txt" ]
    # the figures, worked out apart from rumble: the date by date(1), the cost
    # from the JSON by python, x = a * pi / 180 on the WGS 84 sphere of EPSG:3857
    want_days=$(( $(date -u -d 2020-02-29 +%s) / 86400 ))
    want_cost=$(python3 -c 'import json, sys; c = json.load(open(sys.argv[1])); print("%d %s %d" % (c["cost_per_crash"]["K"], c["currency"], c["year"]))' data/crash_costs.json)
    want_x=$(awk 'BEGIN { printf "%.3f", 6378137 * atan2(0, -1) / 180 }')
    check "version line: $(sed -n 1p "$T/prog.txt")" grep -qx "version $version" "$T/prog.txt"
    check "days line: $(sed -n 2p "$T/prog.txt"), want $want_days" grep -qx "days $want_days" "$T/prog.txt"
    check "cost line: $(sed -n 3p "$T/prog.txt"), want $want_cost" grep -qx "cost_K $want_cost" "$T/prog.txt"
    check "mercator line: $(sed -n 4p "$T/prog.txt"), want $want_x 0.000" grep -qx "mercator $want_x 0.000" "$T/prog.txt"
else
    bad "no program to run"
fi

# ---- make uninstall takes away every file it put there
if make --no-print-directory uninstall DESTDIR="$S" PREFIX=/usr >"$T/make.log" 2>&1; then ok; else
    bad "make uninstall failed"; tail -20 "$T/make.log" | sed 's/^/    /' >&2; fi
check "make uninstall left: $(cd "$S" && find . -type f | head -5 | tr '\n' ' ')" \
    [ -z "$(find "$S" -type f)" ]
finish
