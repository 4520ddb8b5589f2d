#!/bin/bash
# run_examples.sh RUMBLE CMD...: runs every example of `rumble CMD --help` (or
# of `rumble --help` for CMD "main"), in the current directory, which must hold
# the demo as `make demo` leaves it (build/demo/...) and data/. Examples are
# the lines after "Examples" that start with "rumble"; a trailing backslash
# continues a line. Prints each command; fails at the first that fails.
set -u
rumble=$1; shift
for cmd in "$@"; do
    if [ "$cmd" = main ]; then help=$("$rumble" --help); else help=$("$rumble" "$cmd" --help); fi
    printf '%s\n' "$help" | sed -n '/^Examples/,$p' | tail -n +2 |
        sed -e ':a' -e '/\\$/N; s/\\\n[[:space:]]*/ /; ta' | sed -n 's/^[[:space:]]*rumble /rumble /p' > examples.txt
    [ -s examples.txt ] || { echo "no examples in 'rumble $cmd --help'" >&2; exit 1; }
    while IFS= read -r line; do
        echo "+ $line"
        eval "\"$rumble\" ${line#rumble }" > /dev/null 2> example.err ||
            { echo "example failed: $line" >&2; head -5 example.err >&2; exit 1; }
    done < examples.txt
done
