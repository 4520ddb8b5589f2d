# rumble calibrate: an SPF's calibration factor C to the agency's own sites
# (HSM Part C, Appendix A), on the Washington HSIS segments of the shared data.

#> calibrate: C on Washington is the observed crashes over the uncalibrated prediction, recomputed here
$ calibrate --sites $SHARED/washington/segments_2016_2018.csv --spf hsm_rural_2lane --count Total_crashes --aadt AADT --length Length --length-unit mi --site ID --year Year -o cal.json
out: 1501 rows (0 left out), 507 sites, 3 years
out: C = 1.2770 (HSM Part C, Appendix A)
out: the HSM's sample guidance (30 sites or more, 100 crashes a year) met
# Python over the CSV: C = sum Total_crashes / sum AADT x Length x 365e-6 x e^-0.312 (HSM eq. 10-6), and the
# calibrated model's NB2 log-likelihood with k = 0.236 / Length on every row (lgamma form)
check: python3 -c "import csv, json, math, sys; r = list(csv.DictReader(open('$SHARED/washington/segments_2016_2018.csv'))); y = [float(x['Total_crashes']) for x in r]; L = [float(x['Length']) for x in r]; p = [float(x['AADT']) * l * 365e-6 * math.exp(-0.312) for x, l in zip(r, L)]; C = sum(y) / sum(p); nb = lambda y, m, k: math.lgamma(y + 1 / k) - math.lgamma(1 / k) - math.lgamma(y + 1) + y * math.log(k * m / (1 + k * m)) - math.log(1 + k * m) / k; ll = sum(nb(a, C * b, 0.236 / l) for a, b, l in zip(y, p, L)); f = json.load(open('cal.json')); c = f['fit']; sys.exit(not (abs(f['calibration'] - C) < 1e-9 and abs(c['c'] - C) < 1e-9 and c['observed'] == 695 and abs(c['loglik'] - ll) < 1e-6 and abs(c['aic'] - (2 - 2 * ll)) < 1e-6 and c['sites'] == 507 and c['years'] == 3 and abs(c['crashes_per_yr'] - 695 / 3) < 1e-6 and c['sample_guidance_met'] is True))"
# the calibrated SPF keeps the book's coefficients and k; its CURE table has every row
check: grep -q '"coef":	-0.312' cal.json && grep -q '"k":	0.236' cal.json && [ "$(wc -l < cal_cure.csv)" = 1502 ]

#> calibrate: beside a local SPF from fit-spf, judged on the same rows by log-likelihood, AIC and CURE
run: "$RUMBLE" fit-spf --sites $SHARED/washington/segments_2016_2018.csv --count Total_crashes --aadt AADT --length Length --length-unit mi -o local.json -q
$ calibrate --sites $SHARED/washington/segments_2016_2018.csv --spf hsm_rural_2lane --count Total_crashes --aadt AADT --length Length --length-unit mi --site ID --year Year --compare local.json -o cal.json
out: lower AIC: local
# the local SPF's log-likelihood and AIC as fit-spf computed them when fitting (4 parameters: three coefficients and k)
check: python3 -c "import json, sys; l = json.load(open('local.json'))['fit']; c = json.load(open('cal.json'))['fit']['compared']; sys.exit(not (c['spf'] == 'local' and c['parameters'] == 4 and abs(c['loglik'] - l['loglik']) < 1e-5 and abs(c['aic'] - l['aic']) < 1e-5 and c['cure_outside_band'] == l['cure_outside_band']))"

#> calibrate: the calibrated file screens as it is, every prediction C times the book's
run: mkdir -p d && "$GEN_DEMO" d
run: "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane -o base.gpkg -q
$ calibrate --sites $SHARED/washington/segments_2016_2018.csv --spf hsm_rural_2lane --count Total_crashes --aadt AADT --length Length --length-unit mi -o cal.json -q
check: "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf cal.json -o c.gpkg -q && python3 -c "import json, sqlite3, sys; C = json.load(open('cal.json'))['calibration']; q = 'select segment_id, pred_per_yr from segments'; a = dict(sqlite3.connect('base.gpkg').execute(q).fetchall()); b = dict(sqlite3.connect('c.gpkg').execute(q).fetchall()); sys.exit(not (a and a.keys() == b.keys() and all(abs(b[k] - C * a[k]) < 1e-9 * max(1, a[k]) for k in a)))"

#> calibrate --function: a calibration function C(AADT) = e^a AADT^b fitted by NB2 with the prediction as offset
$ calibrate --sites $SHARED/washington/segments_2016_2018.csv --spf hsm_rural_2lane --count Total_crashes --aadt AADT --length Length --length-unit mi --site ID --year Year --function -o fn.json
out: calibration function C(AADT) = exp(a + b ln AADT): a = -1.1549 (se 0.4597), b = 0.1646 (se 0.0536)
out: lower AIC: hsm_rural_2lane (function)
# a and b are the maximum-likelihood estimates: at them, with the fit's own k, the NB2 score for each is zero,
# sum (y - mu) / (1 + k mu) x = 0 for x = 1 and ln AADT (Python over the CSV); the model's log-likelihood with the
# SPF's k = 0.236 / L and its AIC with two parameters recomputed; the file carries the function, calibration 1
check: python3 -c "import csv, json, math, sys; r = list(csv.DictReader(open('$SHARED/washington/segments_2016_2018.csv'))); f = json.load(open('fn.json')); g = f['fit']['function']; a, b, k = g['a'], g['b'], g['k_fit']; rows = [(float(x['Total_crashes']), float(x['AADT']), float(x['Length'])) for x in r]; mu = [A * L * 365e-6 * math.exp(-0.312) * math.exp(a + b * math.log(A)) for y, A, L in rows]; s0 = sum((y - m) / (1 + k * m) for (y, A, L), m in zip(rows, mu)); s1 = sum((y - m) / (1 + k * m) * math.log(A) for (y, A, L), m in zip(rows, mu)); nb = lambda y, m, k: math.lgamma(y + 1 / k) - math.lgamma(1 / k) - math.lgamma(y + 1) + y * math.log(k * m / (1 + k * m)) - math.log(1 + k * m) / k; ll = sum(nb(y, m, 0.236 / L) for (y, A, L), m in zip(rows, mu)); sys.exit(not (abs(s0) < 1e-4 and abs(s1) < 1e-3 and abs(g['loglik'] - ll) < 1e-6 and abs(g['aic'] - (4 - 2 * ll)) < 1e-6 and f['calibration'] == 1 and [t['var'] for t in f['calibration_function']] == ['const', 'ln_aadt']))"
# calibrating that file again starts from the book's SPF (its calibration replaced, not stacked): the same a and b
check: "$RUMBLE" calibrate --sites $SHARED/washington/segments_2016_2018.csv --spf fn.json --count Total_crashes --aadt AADT --length Length --length-unit mi --function -o fn2.json -q && python3 -c "import json, sys; a = json.load(open('fn.json'))['fit']['function']; b = json.load(open('fn2.json'))['fit']['function']; sys.exit(not (abs(a['a'] - b['a']) < 1e-6 and abs(a['b'] - b['b']) < 1e-6))"
# screening with it: every segment's prediction the book's times e^a AADT^b (a, b as the file has them)
check: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane -o base.gpkg -q && "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf fn.json -o f.gpkg -q && python3 -c "import json, math, sqlite3, sys; t = json.load(open('fn.json'))['calibration_function']; ca, cb = t[0]['coef'], t[1]['coef']; q = 'select segment_id, pred_per_yr, aadt from segments'; a = dict((s, (p, A)) for s, p, A in sqlite3.connect('base.gpkg').execute(q)); b = dict((s, p) for s, p, A in sqlite3.connect('f.gpkg').execute(q)); sys.exit(not (a and all(abs(b[s] - p * math.exp(ca + cb * math.log(A))) < 1e-9 * max(1, p) for s, (p, A) in a.items() if p is not None)))"

#> calibrate: a sample smaller than the HSM wants: C, and a warning saying why it is uncertain
run: head -21 $SHARED/washington/segments_2016_2018.csv > small.csv
$ calibrate --sites small.csv --spf hsm_rural_2lane --count Total_crashes --aadt AADT --length Length --length-unit mi -o cal.json
err: 20 sites with
err: the HSM (Part C, Appendix A) wants 30 to 50 sites or more and at least 100 crashes a year
out: NOT met

#> calibrate: a set of SPFs is refused (each member on its own kind of site), and missing options named
$ calibrate --sites small.csv --spf hsm --count Total_crashes --aadt AADT --length Length --length-unit mi -o cal.json
? 2
err: 'hsm' is a set of SPFs: calibrate each member on its own kind of site
absent: cal.json
check: "$RUMBLE" calibrate --sites small.csv -o x.json 2> e.txt; [ $? = 2 ] && grep -q 'needs --sites, --spf, --count, --aadt, --length' e.txt
