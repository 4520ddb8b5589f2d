# Outputs pinned byte for byte: the SHA-256 of every file the demo's and Leeds'
# runs write (tests/cli/golden/outputs.sha256), taken with the binary from
# before the pipeline moved into src/run (commit fdfbd2f). A change that means
# to change an output updates the file: rerun these commands with that change
# and `sha256sum FILES > tests/cli/golden/outputs.sha256`, and say why in the
# commit. Summaries are left out: they name their own files. Changed since:
# report.html (issue 16: the findings box, with the demo run's spf_conditions);
# the files with a plan, run.gpkg, run_work.csv, plan.gpkg, plan_work.csv,
# years.gpkg and report.html (issue 17: only entries whose CMF is checked are
# planned by default, the plan layer's cmf_source and the report's evidence
# column; work points styled for chevrons and section cameras too); report.html
# again (its severity table counts the crashes the screening counts, as the
# year table does, and the page says which; a card for each flagged site no
# alternative covers, and each card's route and chainage as data attributes;
# the ranked intersections listed and mapped; the ranked list one row per place);
# every GeoPackage (issue 17's styles: layers by rank drawn worst on top,
# intersections as diamonds, four distinct hotspot colours, crashes not on the
# network apart); report.html with a scale bar and the sites' numbers on the map,
# and the price_years finding (the demo's prices are of 2024, its crash costs of 2001);
# and each card's line on why the budget choice took what it did there; and the
# files with a plan again (issue 17: each countermeasure credited only with the
# crashes inside its zone of influence, point devices placed where their zone
# holds the most of their target crashes); and run.gpkg, screen.gpkg and
# years.gpkg with the settings table (the config's text and the flags they were
# made with, for rumble plan --screen); and the files with a plan again (each
# stretch site's expected crashes its own EB, not its segments' shared out by
# length); and once more (fatal and serious crashes priced at one cost by
# default, npv_kabco and rank_kabco beside); and with the plan layer's
# cmf_stars and cmf_se, shown in the report; and every file again (the
# crashes' weather coded and written, the demo's crashes with a weather
# column, field domains for light, surface and weather, outline-only markers
# drawn in their colour; the catalogue's corrected figures, the curve-signing
# package and the plan's package and 95 % range columns; the cards' when
# profiles and light, surface and weather mixes); report.html with the plan's
# currency and price basis (the prices from data/prices/, an example); and
# the files with a plan once more (every alternative over a 20-year analysis
# period, renewed at the end of each life, residual value counted back);
# report.html with each chosen alternative's incremental benefit-cost line;
# the files with a screening and a plan (issue 18: the HSM rural two-lane SPF
# adjusted by its CMFs for actual conditions, here the demo's shoulder widths,
# and the segments layer's spf_cmf); and again (the widths rounded to the
# foot before the CMF tables, the fatal-and-injury share of HSM Table 10-3 in
# the EB-EPDO); run.gpkg, screen.gpkg and years.gpkg (issue 19: layers written
# one at a time, each coded value domain added before the first layer that
# uses it, so the domains' rows come in another order; every other row of
# the files is as before, checked on a sorted SQL dump).

#> golden: rumble run, screen, match, plan and report on the demo, byte for byte as before
run: mkdir -p demo && "$GEN_DEMO" demo
run: "$RUMBLE" run -q --config $ROOT/data/demo/project.json --roads demo/roads.gpkg --crashes demo/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg --csv --no-timings
run: "$RUMBLE" screen -q --config $ROOT/data/demo/project.json --roads demo/roads.gpkg --crashes demo/crashes.csv --spf hsm_rural_2lane -o screen.gpkg --no-timings
run: "$RUMBLE" match -q --config $ROOT/data/demo/project.json --roads demo/roads.gpkg --crashes demo/crashes.csv -o match.gpkg --no-timings --csv
run: "$RUMBLE" plan -q --config $ROOT/data/demo/project.json --screen screen.gpkg --budget 2000000 -o plan.gpkg
run: "$RUMBLE" run -q --config $ROOT/data/demo/project.json --roads demo/roads.gpkg --crashes demo/crashes.csv --budgets 800000,800000,800000 -o years.gpkg --no-timings -f GPKG
$ report run.gpkg -o report.html
check: for f in run.gpkg run_crashes.csv run_segments.csv run_work.csv screen.gpkg match.gpkg match_crashes.csv match_segments.csv plan.gpkg plan_work.csv years.gpkg report.html; do grep "  $f\$" $ROOT/tests/cli/golden/outputs.sha256; done | sha256sum -c --quiet -

#> golden: Leeds matched, byte for byte as before
$ match -q --config $ROOT/tests/cli/leeds.json --roads $SHARED/leeds/roads.gpkg --crashes $SHARED/leeds/casualties_2019.csv -o leeds.gpkg --csv --no-timings
check: grep '  leeds' $ROOT/tests/cli/golden/outputs.sha256 | sha256sum -c --quiet -
