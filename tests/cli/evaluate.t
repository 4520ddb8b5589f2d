# rumble evaluate: the before-after evaluation (HSM Part B, Chapter 9) on a
# published example, Hauer's comparison-group data, the demo's planted
# effect, and its refusals. The fixtures (tests/tools/eval_fixture.py) are
# runs' GeoPackages as rumble match writes them: segments and crashes.

#> the HSM's Chapter 9 EB sample: the book's sums and theta, the naive estimate beside it
# Highway Safety Manual (2010) Part B, Chapter 9, EB before/after sample (13 rural two-lane segments;
# data as the R package HSM holds them, whose tests assert the book's 122 crashes before, 30 after and
# the variance terms' sum 11.161). By hand (the same figures tests/test_measures.c checks on rb_ebba):
#   site S1: predicted 5 x 2.6364 = 13.1821 before; w = 1 / (1 + 0.2118 x 13.1821) = 0.2637;
#            expected after without the works 6.0849; the 3 crashes of 2016 (the works) counted nowhere
#   pooled: expected after 42.8810, variance 11.1616; theta = (30 / 42.8810) / (1 + 11.1616 / 42.8810^2)
#           = 0.695390, se 0.137204, 95 % 0.42647 to 0.96431
#   naive (Hauer 1997 Ch. 7): r_d = 730 / 1826 days = 0.399781; pi = 0.399781 x 122 = 48.7733,
#           Var(pi) = 0.399781^2 x 122 = 19.4986; theta = (30 / 48.7733) / (1 + 19.4986 / 48.7733^2)
#           = 0.610090, se 0.123319
# AADT from the per-year columns (aadt_2011 ...): the aadt column, 99999, would predict 10 times more.
run: python3 $ROOT/tests/tools/eval_fixture.py f
$ evaluate f/hsm/run.gpkg --treatments f/hsm/treatments.csv --spf hsm_rural_2lane --from 2011-01-01 --to 2018-12-31 -o e.gpkg
out: treated sites 13 (13 evaluated), comparison sites 0; crash data 2011-01-01 to 2018-12-31 (--from and --to)
out: eb                  13     122      30      42.9   0.695   0.137       0.426-0.964    30.5% *
check: [ "$(q e.gpkg "select obs_before || ' ' || obs_after || ' ' || n_sites from evaluation_pooled where crash_group = 'all' and method = 'eb'")" = "122 30 13" ]
check: [ "$(q e.gpkg "select abs(theta - 0.695390) < 1e-6 and abs(se_theta - 0.137204) < 1e-6 and abs(ci_low - 0.42647) < 1e-5 and abs(ci_high - 0.96431) < 1e-5 and abs(exp_after - 42.8810) < 1e-4 and abs(var_exp_after - 11.1616) < 1e-4 and significant = 1 from evaluation_pooled where crash_group = 'all' and method = 'eb'")" = 1 ]
check: [ "$(q e.gpkg "select abs(theta - 0.610090) < 1e-6 and abs(se_theta - 0.123319) < 1e-6 and abs(exp_after - 48.7733) < 1e-4 from evaluation_pooled where crash_group = 'all' and method = 'naive'")" = 1 ]
check: [ "$(q e.gpkg "select abs(pred_before - 13.1821) < 1e-4 and abs(eb_weight - 0.2637) < 1e-4 and abs(exp_after - 6.0849) < 1e-4 and obs_before = 16 and obs_after = 2 from evaluation where segment_id = 'S1'")" = 1 ]
check: [ "$(q e.gpkg "select before_from || ' ' || before_to || ' ' || after_from || ' ' || after_to from evaluation where segment_id = 'S13'")" = "2011-01-01 2015-12-31 2017-01-01 2018-12-31" ]
# no fatal or injury crash after: not estimated, and the row says why; no comparison group: no such rows
check: [ "$(q e.gpkg "select theta is null and note like 'no crash was observed after%' from evaluation_pooled where crash_group = 'fatal_injury' and method = 'eb'")" = 1 ]
check: [ "$(q e.gpkg "select count(*) from evaluation_pooled where method = 'comparison_group'")" = 0 ]
check: python3 -c "import json, sys; s = json.load(open('e.summary.json')); p = [x for x in s['pooled'] if x['crash_group'] == 'all' and x['method'] == 'eb'][0]; sys.exit(not (s['command'] == 'evaluate' and s['sites']['evaluated'] == 13 and abs(p['theta'] - 0.695390) < 1e-6))"
check: ! grep -qi nan e.summary.json

#> the comparison-group method on Hauer's right-turn-on-red data
# Hauer (1997) Ch. 9; FHWA-SA-10-032: K = 167 before, L = 313 after at the treated site, M = 3566 and
# N = 6121 at the comparison site. By hand: r_T = (6121 / 3566) / (1 + 1 / 3566) = 1.716008;
# pi = 1.716008 x 167 = 286.573; Var(pi) = 286.573^2 (1/167 + 1/3566 + 1/6121) = 528.21;
# theta = (313 / 286.573) / (1 + 528.21 / 286.573^2) = 1.085236; Var(theta) = theta^2 (1/313 +
# 528.21 / 286.573^2) / (1 + 528.21 / 286.573^2)^2: se 0.105798 (Var(omega) taken as 0)
run: python3 $ROOT/tests/tools/eval_fixture.py f
$ evaluate f/rtor/run.gpkg --treatments f/rtor/treatments.csv --spf hsm_rural_2lane --from 2011-01-01 --to 2018-12-31 -o e.gpkg
out: treated sites 1 (1 evaluated), comparison sites 1
check: [ "$(q e.gpkg "select abs(theta - 1.085236) < 1e-6 and abs(se_theta - 0.105798) < 1e-6 and abs(exp_after - 286.573) < 1e-3 and significant = 0 from evaluation_pooled where crash_group = 'all' and method = 'comparison_group'")" = 1 ]
check: [ "$(q e.gpkg "select cg_obs_before || ' ' || cg_obs_after from evaluation where segment_id = 'T'")" = "3566 6121" ]
check: [ "$(q e.gpkg "select role || ' ' || status from evaluation where segment_id = 'C'")" = "comparison comparison" ]

#> the demo's history: shoulder rumble strips with a planted theta of 0.6 on their target crashes
# gen_demo draws ten years from the SPF, lays strips in 2019 on the 20 segments with the most target
# crashes before, and keeps each later target crash on them with probability 0.6. The EB estimate's
# interval holds 0.6; the naive and comparison-group ones, blind to regression to the mean, claim more.
run: mkdir -p d && "$GEN_DEMO" d > /dev/null && "$RUMBLE" match -q --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/history.csv --from-year 2015 --to-year 2024 -o h.gpkg
$ evaluate h.gpkg --treatments d/treatments.csv --spf hsm_rural_2lane -o e.gpkg --catalogue-out cat.json
out: treated sites 20 (20 evaluated), comparison sites 30; crash data 2015-01-01 to 2024-12-31 (the run's study period (its summary))
check: [ "$(q e.gpkg "select ci_low < 0.6 and ci_high > 0.6 and significant = 1 from evaluation_pooled where crash_group = 'target' and method = 'eb'")" = 1 ]
check: [ "$(q e.gpkg "select (select theta from evaluation_pooled where crash_group = 'target' and method = 'naive') < (select theta from evaluation_pooled where crash_group = 'target' and method = 'eb') and (select theta from evaluation_pooled where crash_group = 'target' and method = 'comparison_group') < (select theta from evaluation_pooled where crash_group = 'target' and method = 'eb')")" = 1 ]
# every treatments row is in the layer once, on its segment's line
check: [ "$(q e.gpkg "select count(*) || ' ' || sum(role = 'treated') || ' ' || sum(geom is not null) from evaluation")" = "50 20 50" ]
# the catalogue written back: the strips' CMF the EB target theta, with its error; a catalogue rumble reads
check: python3 -c "import json, sys, sqlite3; c = json.load(open('cat.json')); e = [x for x in c['countermeasures'] if x['id'] == 'shoulder_rumble_strips'][0]; t, se = sqlite3.connect('e.gpkg').execute(\"select theta, se_theta from evaluation_pooled where crash_group = 'target' and method = 'eb'\").fetchone(); sys.exit(not (abs(e['cmf'] - t) < 1e-12 and abs(e['cmf_se'] - se) < 1e-12 and e['source'].startswith('Local Empirical Bayes') and c['prices'].startswith('/')))"
check: "$RUMBLE" report -q h.gpkg -o r.html --catalogue cat.json --evaluation e.gpkg && grep -q 'id="evaluation"' r.html && grep -q 'evaluation-table' r.html
# the same input, the same output
check: "$RUMBLE" evaluate -q h.gpkg --treatments d/treatments.csv --spf hsm_rural_2lane -o e2.gpkg && [ "$(q e.gpkg "select group_concat(theta, ',') from evaluation_pooled")" = "$(q e2.gpkg "select group_concat(theta, ',') from evaluation_pooled")" ] && cmp e.summary.json e2.summary.json

#> refusals: a date that is not one, a missing column, no data before the works, an input as output
run: python3 $ROOT/tests/tools/eval_fixture.py f && sed 's/2016-01-01/2016-13-01/' f/hsm/treatments.csv > bad.csv && cut -d, -f2- f/hsm/treatments.csv > noseg.csv
$ evaluate f/hsm/run.gpkg --treatments bad.csv --spf hsm_rural_2lane -o e.gpkg
? 1
err: bad.csv: row 2, field work_start: '2016-13-01' (as read) is not a real date (YYYY-MM-DD)
absent: e.gpkg
check: "$RUMBLE" evaluate f/hsm/run.gpkg --treatments noseg.csv --spf hsm_rural_2lane -o e.gpkg 2> err.txt; [ $? = 1 ] && grep -q "noseg.csv: no column 'segment_id'" err.txt
check: "$RUMBLE" evaluate f/hsm/run.gpkg --treatments f/hsm/treatments.csv --spf hsm_rural_2lane --from 2016-06-01 --to 2018-12-31 -o e.gpkg 2> err.txt; [ $? = 1 ] && grep -q 'row 2: works from 2016-01-01: no crash data before the works' err.txt && grep -q 'none of the 13 treated sites could be evaluated' err.txt && [ ! -e e.gpkg ]
check: "$RUMBLE" evaluate f/hsm/run.gpkg --treatments f/hsm/treatments.csv --spf hsm_rural_2lane -o f/hsm/run.gpkg 2> err.txt; [ $? = 2 ] && grep -q 'never overwrites an input' err.txt
check: "$RUMBLE" evaluate f/hsm/run.gpkg --treatments f/hsm/treatments.csv -o e.gpkg 2> err.txt; [ $? = 2 ] && grep -q 'name the treated sites. SPF with --spf' err.txt

#> refusals after a review: the same works twice, a treated comparison site, no estimate at all, nothing to write back
run: python3 $ROOT/tests/tools/eval_fixture.py f && (cat f/hsm/treatments.csv; sed -n 2p f/hsm/treatments.csv) > dup.csv && (cat f/hsm/treatments.csv; echo 'S1,,,,comparison') > both.csv
$ evaluate f/hsm/run.gpkg --treatments dup.csv --spf hsm_rural_2lane --from 2011-01-01 --to 2018-12-31 -o e.gpkg
? 1
err: dup.csv: rows 2 and 15 are the same works twice
absent: e.gpkg
check: "$RUMBLE" evaluate f/hsm/run.gpkg --treatments both.csv --spf hsm_rural_2lane --from 2011-01-01 --to 2018-12-31 -o e.gpkg 2> err.txt; [ $? = 1 ] && grep -q 'rows 2 and 15: one segment both treated and a comparison site' err.txt && [ ! -e e.gpkg ]
# works to 2018-05-31: the fixture's after-period crashes all fall before then: nothing observed after, no estimate,
# exit 1, nothing written
check: sed 's/2016-12-31/2018-05-31/' f/hsm/treatments.csv > late.csv && "$RUMBLE" evaluate f/hsm/run.gpkg --treatments late.csv --spf hsm_rural_2lane --from 2011-01-01 --to 2018-12-31 -o e.gpkg 2> err.txt; [ $? = 1 ] && grep -q 'no Empirical Bayes estimate for all crashes could be made: no crash was observed after' err.txt && [ ! -e e.gpkg ] && [ ! -e e.summary.json ]
# the HSM sample has no untreated segment: no target share, so nothing to write back; no file left behind
check: "$RUMBLE" evaluate f/hsm/run.gpkg --treatments f/hsm/treatments.csv --spf hsm_rural_2lane --from 2011-01-01 --to 2018-12-31 -o e.gpkg --catalogue-out c.json 2> err.txt; [ $? = 1 ] && grep -q 'nothing to write back' err.txt && [ ! -e e.gpkg ] && [ ! -e c.json ]
check: "$RUMBLE" evaluate f/hsm/run.gpkg --treatments f/hsm/treatments.csv --spf hsm_rural_2lane --from 2018-12-31 --to 2011-01-01 -o e.gpkg 2> err.txt; [ $? = 2 ] && grep -q -- '--to 2011-01-01 is before --from 2018-12-31' err.txt
# a year without its AADT column (2019): the segment's aadt taken, and said
check: "$RUMBLE" evaluate f/hsm/run.gpkg --treatments f/hsm/treatments.csv --spf hsm_rural_2lane --from 2011-01-01 --to 2019-12-31 -o e9.gpkg 2> err.txt; grep -q '13 site-years have no AADT column of their own (aadt_{year})' err.txt

#> two works on one segment at different times: each evaluated between the other's
# S1 treated again in 2018: the first row's after period stops on 2017-12-31, the second's before period starts
# 2017-01-01 (after the first works); each says so
run: python3 $ROOT/tests/tools/eval_fixture.py f && (cat f/hsm/treatments.csv; echo 'S1,curve_chevrons,2018-01-01,2018-01-31,treated') > twice.csv
$ evaluate f/hsm/run.gpkg --treatments twice.csv --spf hsm_rural_2lane --from 2011-01-01 --to 2018-12-31 -o e.gpkg
err: rows 2 and 15 treat one segment at different times
check: [ "$(q e.gpkg "select group_concat(before_from || '/' || before_to || '/' || after_from || '/' || after_to, ' ') from evaluation where segment_id = 'S1'")" = "2011-01-01/2015-12-31/2017-01-01/2017-12-31 2017-01-01/2017-12-31/2018-02-01/2018-12-31" ]
