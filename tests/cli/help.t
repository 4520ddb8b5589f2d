# --help is a contract: golden files in tests/cli/help/ (update them when a
# change to the options is meant: for c in match ...; do rumble $c --help >
# tests/cli/help/$c.txt; done, and doc/mkman.sh for the man page). Every example
# the help shows runs, on the demo as make demo leaves it.

#> help: rumble --help
$ --help
check: "$RUMBLE" --help | diff - $ROOT/tests/cli/help/main.txt

#> help: rumble match --help
$ match --help
check: "$RUMBLE" match --help | diff - $ROOT/tests/cli/help/match.txt

#> help: rumble screen --help
$ screen --help
check: "$RUMBLE" screen --help | diff - $ROOT/tests/cli/help/screen.txt

#> help: rumble run --help
$ run --help
check: "$RUMBLE" run --help | diff - $ROOT/tests/cli/help/run.txt

#> help: rumble plan --help
$ plan --help
check: "$RUMBLE" plan --help | diff - $ROOT/tests/cli/help/plan.txt

#> help: rumble report --help
$ report --help
check: "$RUMBLE" report --help | diff - $ROOT/tests/cli/help/report.txt

#> help: rumble fit-spf --help
$ fit-spf --help
check: "$RUMBLE" fit-spf --help | diff - $ROOT/tests/cli/help/fit-spf.txt

#> help: rumble calibrate --help
$ calibrate --help
check: "$RUMBLE" calibrate --help | diff - $ROOT/tests/cli/help/calibrate.txt

#> help: rumble systemic --help
$ systemic --help
check: "$RUMBLE" systemic --help | diff - $ROOT/tests/cli/help/systemic.txt

#> help: rumble evaluate --help
$ evaluate --help
check: "$RUMBLE" evaluate --help | diff - $ROOT/tests/cli/help/evaluate.txt

#> help: rumble merge --help
$ merge --help
check: "$RUMBLE" merge --help | diff - $ROOT/tests/cli/help/merge.txt

#> help: every command takes the same long options for the same things (-o/--output, -q/--quiet, -h/--help, --data-dir where it reads data)
$ --help
check: for c in match screen run plan report fit-spf calibrate systemic evaluate merge; do h=$("$RUMBLE" $c --help); for o in '-o, --output' '-q, --quiet' '-h, --help'; do printf '%s\n' "$h" | grep -q -- "$o" || { echo "$c lacks $o"; exit 1; }; done; done
check: for c in match screen run plan report systemic evaluate; do "$RUMBLE" $c --help | grep -q -- '--data-dir DIR' || exit 1; done

#> help: the man page is made from the help and is current; groff renders it without a warning
$ --help
check: bash $ROOT/doc/mkman.sh "$RUMBLE" | diff - $ROOT/doc/rumble.1
check: [ -z "$(groff -man -ww -k -Tutf8 $ROOT/doc/rumble.1 2>&1 >/dev/null)" ]
check: for c in match screen run plan report fit-spf calibrate systemic evaluate merge; do grep -q "^\.SH \"RUMBLE $(echo $c | tr a-z A-Z)\"" $ROOT/doc/rumble.1 || exit 1; done

#> help: every example in every --help runs on the demo
run: mkdir -p build/demo && "$GEN_DEMO" build/demo && ln -s $DATA data && "$RUMBLE" run --config data/demo/project.json --roads build/demo/roads.gpkg --crashes build/demo/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o build/demo/run.gpkg --csv -q
$ --version
check: bash $ROOT/tests/tools/run_examples.sh "$RUMBLE" main match screen run plan report fit-spf calibrate systemic evaluate merge > examples.log
check: [ "$(grep -c '^+ rumble' examples.log)" -ge 15 ] && [ -s report.html ] && [ -s plan.gpkg ] && [ -s spf_speed.json ] && [ -s hsm_calibrated.json ] && [ -s evaluation.gpkg ] && [ -s evaluated_catalogue.json ] && [ -s systemic.gpkg ]
