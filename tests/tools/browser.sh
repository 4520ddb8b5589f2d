#!/bin/bash
# The report's browser tests: Debian's chromium, headless, installed here when
# missing (as root, from Debian's archive).
#   browser.sh dom PAGE.html [JS]   the page's DOM after its scripts ran (JS, if
#                                   given, runs after them: a click, say)
#   browser.sh shot PAGE.html PNG   a 1100 x 2400 screenshot
set -eu
if ! command -v chromium >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 ||
            { apt-get update -qq >/dev/null 2>&1 &&
              DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; }
    fi
    command -v chromium >/dev/null || { echo "browser.sh: needs chromium (apt-get install chromium)" >&2; exit 1; }
fi
what=$1 page=$2
profile=$(mktemp -d)
trap 'rm -rf "$profile" "${tmp:-}"' EXIT
if [ "$what" = dom ] && [ $# -ge 3 ]; then
    tmp=$(mktemp --suffix=.html -p "$(dirname "$page")")
    sed "s|</body>|<script>$3</script></body>|" "$page" > "$tmp"
    page=$tmp
fi
url="file://$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
flags=(--headless=new --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$profile")
case $what in dom|shot) ;; *) echo "browser.sh: dom or shot" >&2; exit 2 ;; esac

# The same page (the same bytes, the script added to it included) gives the same
# DOM and picture: the report is self-contained (tests/cli/report.t checks it),
# so the plain and the sanitizer builds' byte-identical pages are rendered once
# per test run ($RUMBLE_TEST_CACHE, set by tests/cli/run.sh), not once each.
cached=
if [ -n "${RUMBLE_TEST_CACHE:-}" ]; then
    mkdir -p "$RUMBLE_TEST_CACHE/browser"
    cached=$RUMBLE_TEST_CACHE/browser/$( { echo "$what 1100x2400"; cat "$page"; } |
        sha256sum | cut -c1-32)
fi
if [ -n "$cached" ] && [ -s "$cached" ]; then
    case $what in dom) cat "$cached" ;; shot) cp "$cached" "$3" ;; esac
    exit 0
fi
case $what in
dom) timeout 120 chromium "${flags[@]}" --dump-dom "$url" 2>/dev/null > "$profile/out" || exit 1 ;;
shot) timeout 120 chromium "${flags[@]}" --window-size=1100,2400 --screenshot="$3" "$url" >/dev/null 2>&1
      cp "$3" "$profile/out" ;;
esac
[ -s "$profile/out" ] || exit 1
[ "$what" = dom ] && cat "$profile/out"
[ -n "$cached" ] && { cp "$profile/out" "$cached.$$" && mv -f "$cached.$$" "$cached"; }
exit 0
