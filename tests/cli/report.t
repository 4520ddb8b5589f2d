# rumble report: one self-contained HTML file from a run's GeoPackage, checked in
# a real browser (Debian's chromium, headless; tests/tools/browser.sh installs it
# when missing). Every number checked here is computed by SQLite from the same
# GeoPackage, not by rumble.

#> report: the demo's run as a page; the browser's DOM holds the figures SQLite computes from the GeoPackage
run: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
$ report run.gpkg -o report.html
out: wrote report.html
check: bash $ROOT/tests/tools/browser.sh dom report.html > dom.html && grep -q 'id="ranked-table"' dom.html
# crashes read, on the network, sites flagged
check: grep -q "id=\"n-crashes\" data-v=\"$(q run.gpkg 'select count(*) from crashes')\"" dom.html
check: grep -q "id=\"n-matched\" data-v=\"$(q run.gpkg "select count(*) from crashes where match_status = 'matched'")\"" dom.html
check: grep -q "id=\"n-hotspots\" data-v=\"$(q run.gpkg 'select count(*) from hotspots')\"" dom.html
# network length to 0.1 km; the plan's chosen treatments, their cost and benefit
check: grep -q "id=\"network-km\" data-v=\"$(q run.gpkg "select printf('%.1f', sum(length_m) / 1000.0) from segments")\"" dom.html
check: grep -q "id=\"n-treatments\" data-v=\"$(q run.gpkg 'select count(*) from plan where selected')\"" dom.html
check: grep -q "id=\"install-cost\" data-v=\"$(q run.gpkg "select printf('%.0f', sum(install_cost)) from plan where selected")\"" dom.html
check: grep -q "id=\"pv-benefit\" data-v=\"$(q run.gpkg "select printf('%.0f', sum(pv_benefit)) from plan where selected")\"" dom.html
check: grep -q 'id="budget" data-v="2000000"' dom.html
# crashes by severity (fatal) and by year (2022), both of the crashes the screening counts (in_study),
# each table adding up to that count, which the page states beside the crashes read
check: grep -q "<td class=\"n\" data-v=\"$(q run.gpkg "select count(*) from crashes where severity = 'K' and in_study")\">" dom.html
check: n=$(q run.gpkg 'select count(*) from crashes where in_study') && for t in by-severity by-year; do [ "$(sed -n "/<table class=\"counts\" id=\"$t\">/,/<\/table>/p" report.html | grep -o 'data-v="[0-9]*"' | tr -dc '0-9\n' | awk '{ s += $1 } END { print s }')" = "$n" ] || exit 1; done && grep -q "<p class=\"meta\" id=\"counted\">[^<]*: $n / $(q run.gpkg 'select count(*) from crashes')</p>" report.html
check: tr -d '\n' < dom.html | grep -q "<td>2022</td><td class=\"n\" data-v=\"$(q run.gpkg "select count(*) from crashes where in_study and substr(crash_date, 1, 4) = '2022'")\""
# one row per place in the ranked list: each hotspot in exactly one, with its rules, the best rank and
# the crashes SQLite counts on the stretch (tests/tools/ranked.py); fewer rows than hotspots on the demo
check: python3 $ROOT/tests/tools/ranked.py report.html run.gpkg && [ "$(sed -n '/id="ranked-table"/,/<\/table>/p' dom.html | grep -c '^<tr ')" -lt "$(q run.gpkg 'select count(*) from hotspots')" ]
# the map's scale bar: a round length (1, 2 or 5 times a power of ten metres) drawn at the map's scale,
# which is (width - 20 px of margins, the width rounded to a pixel) over the segments' extent east to west (SpatiaLite)
check: w=$(grep -o 'viewBox="0 0 [0-9.]* ' report.html | head -1 | cut -d' ' -f3) && dx=$(q run.gpkg 'select max(ST_MaxX(geom)) - min(ST_MinX(geom)) from segments') && m=$(grep -o '<g class="scale" data-m="[0-9]*"' report.html | grep -o '[0-9]*') && px=$(grep -o 'data-px="[0-9.]*"' report.html | grep -o '[0-9.]*') && echo "$m" | grep -qE '^(1|2|5)0*$' && awk -v w=$w -v dx=$dx -v m=$m -v px=$px 'BEGIN { e = m * (w - 20) / dx; exit !(px > 0.995 * e && px < 1.005 * e && px > 0.1 * w && px < 0.5 * w) }'
# the numbers of the sites with a card (not the flagged sites without a plan) are on the map
check: [ "$(grep -o '<text class="site"[^>]*>[0-9]*</text>' report.html | grep -o '>[0-9]*<' | tr -d '<>' | sort -n | paste -sd,)" = "$(grep -o '<article class="card" id="site-[0-9]*"' report.html | grep -o '[0-9]*"$' | tr -d '"' | sort -n | paste -sd,)" ]
# a card for the best-ranked site with its crashes counted
check: [ "$(grep -o '<article class="card' dom.html | wc -l)" = 10 ]
# the site at km 44+392 to 47+754 (the head-on straight) carries its crashes counted on its stretch
check: n=$(q run.gpkg "select site from plan where route_id = 'KAZ-R1' and from_m between 44000 and 45000 limit 1") && [ -n "$n" ] && grep -q "id=\"site-$n\" data-crashes=\"$(q run.gpkg "select count(*) from crashes where in_study and route_id = 'KAZ-R1' and chainage_m >= (select min(from_m) from plan where site = $n) and chainage_m <= (select max(to_m) from plan where site = $n)")\"" dom.html
# the map: one SVG path per rank class, hotspots and the work orders drawn
check: grep -q '<path class="c1" d="M' dom.html && grep -q '<path class="hot" d="M' dom.html && grep -q '<circle class="wp"' dom.html

#> report: self-contained (nothing fetched: no links, no external scripts, images or fonts) and not blank in the browser
run: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
$ report run.gpkg -o report.html -q
check: ! grep -Eq '<link|src="|url\(|@import|href="http' report.html
check: [ "$(grep -o 'http[s]*://[^"]*' report.html | sort -u)" = "http://www.w3.org/2000/svg" ]
check: bash $ROOT/tests/tools/browser.sh shot report.html shot.png
# a blank page is 0.0000 non-white with 1 colour; this one has ink and colours
check: set -- $(python3 $ROOT/tests/tools/png_stats.py shot.png) && [ "$1" = 2640000 ] && awk -v s="$2" 'BEGIN { exit !(s > 0.05) }' && [ "$3" -gt 50 ]
# it prints: a print style keeps cards whole
check: grep -q '@media print' report.html && grep -q 'page-break-inside:avoid' report.html

#> report: the ranked list sorts by a column heading clicked in the browser
run: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
$ report run.gpkg -o report.html -q
# click "Crashes" (6th column) once: ascending; twice: descending; the values are the rows' own
# (checked against SQLite by tests/tools/ranked.py), sorted here by sort -n
check: bash $ROOT/tests/tools/browser.sh dom report.html "var t=document.getElementById('ranked-table');t.tHead.rows[0].cells[5].click();document.body.setAttribute('data-sorted',Array.prototype.map.call(t.tBodies[0].rows,function(r){return r.cells[5].getAttribute('data-v')}).join(','))" > asc.html
check: v=$(sed -n '/id="ranked-table"/,/<\/table>/p' report.html | grep '^<tr ' | awk -F'data-v="' '{ split($6, a, "\""); print a[1] }') && [ -n "$v" ] && grep -q "data-sorted=\"$(printf '%s\n' "$v" | sort -n | paste -sd,)\"" asc.html
check: bash $ROOT/tests/tools/browser.sh dom report.html "var t=document.getElementById('ranked-table');t.tHead.rows[0].cells[5].click();t.tHead.rows[0].cells[5].click();document.body.setAttribute('data-sorted',Array.prototype.map.call(t.tBodies[0].rows,function(r){return r.cells[5].getAttribute('data-v')}).join(','))" > desc.html
check: v=$(sed -n '/id="ranked-table"/,/<\/table>/p' report.html | grep '^<tr ' | awk -F'data-v="' '{ split($6, a, "\""); print a[1] }') && [ -n "$v" ] && grep -q "data-sorted=\"$(printf '%s\n' "$v" | sort -rn | paste -sd,)\"" desc.html

#> report: every flagged site has a card: the plan's sites, and the hotspots no alternative covers ("site visit needed"); the best ten by default
run: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
run: "$RUMBLE" report run.gpkg -o top10.html -q
$ report run.gpkg -o all.html --top 1000 -q
# each hotspot (SQLite over the layer) overlaps a card's stretch on its route; a card with no plan row says a visit is needed
check: python3 $ROOT/tests/tools/cards.py all.html run.gpkg
check: [ "$(grep -c '<article class="card nofit"' all.html)" = "$(grep -c '<p class="nofit">No countermeasure in the catalogue fits' all.html)" ]
check: [ "$(grep -o '<article class="card' top10.html | wc -l)" = 10 ] && [ "$(grep -o '<article class="card' all.html | wc -l)" -gt 10 ]
# each card's crashes by hour, weekday and month, as SQLite counts them from crash_date and crash_time (tests/tools/when.py)
check: python3 $ROOT/tests/tools/when.py all.html run.gpkg
# and their light, road surface and weather beside the network's (the demo's weather: rain on wet roads, snowfall, fog on spring and autumn mornings)
check: [ "$(grep -c '<h4>Weather</h4>' all.html)" = "$(grep -o '<article class="card' all.html | wc -l)" ] && grep -q '<td>fog, mist or dust</td>' all.html && [ "$(grep -c '<h4>Light</h4>' all.html)" -gt 10 ]

#> report: dates that give the year alone (read as 1 July) give no weekday or month profile, and the card says so; the hour stays
run: mkdir -p d && "$GEN_DEMO" d && python3 -c "import csv; r = list(csv.reader(open('d/crashes.csv', encoding='utf-8'))); i = r[0].index('date'); [row.__setitem__(i, row[i][-4:]) for row in r[1:]]; csv.writer(open('y.csv', 'w', encoding='utf-8', newline='')).writerows(r)"
run: "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes y.csv --date-format %Y --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
$ report run.gpkg -o report.html -q
check: n=$(grep -o '<article class="card' report.html | wc -l) && [ "$n" -ge 1 ] && [ "$(grep -c 'The dates give the year only: no month or weekday profile.' report.html)" = "$n" ] && ! grep -q 'data-when="month"' report.html && ! grep -q 'data-when="weekday"' report.html && [ "$(grep -o 'data-when="hour"' report.html | wc -l)" = "$n" ]

#> report: each chosen alternative's card gives, against the next cheaper alternative there worth its cost, its incremental benefit-cost ratio (HSM Part B, Chapter 8)
run: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
$ report run.gpkg -o all.html --top 1000 -q
# as SQLite computes it from the plan layer's PV benefit and cost (tests/tools/ibc.py)
check: python3 $ROOT/tests/tools/ibc.py all.html run.gpkg
check: grep -q '<p class="why ibc" data-against="[a-z_+]*" data-ibc="[0-9.e+-]*">Against the cheaper <span class="cm">' all.html

#> report: each plan site's card says why the budget choice took what it did there (the best here; another though one is worth more, named; nothing), as the plan layer has it
run: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 100000 -o tight.gpkg -q
$ report tight.gpkg -o tight.html --top 1000 -q
# a tight budget: all four kinds can come up; each card's against SQLite over the plan (tests/tools/why.py)
check: python3 $ROOT/tests/tools/why.py tight.html tight.gpkg > why.txt && grep -q 'best [1-9]' why.txt && grep -q 'budget [1-9]' why.txt && grep -q 'none_budget [1-9]' why.txt

#> report: Russian and Kazakh labels, numbers with a space between thousands and a decimal comma
run: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
run: "$RUMBLE" report run.gpkg -o kk.html --lang kk -q
$ report run.gpkg -o ru.html --lang ru
check: grep -q '<html lang="ru">' ru.html && grep -q 'Отчёт о безопасности дорожного движения' ru.html && grep -q 'Выявлено очагов' ru.html
# (the space is a no-break space, U+00A0, so a number never breaks across lines)
check: nb=$(printf '\302\240') && grep -q "id=\"budget\" data-v=\"2000000\">2${nb}000${nb}000<" ru.html
check: grep -q "id=\"network-km\" data-v=\"[0-9.]*\">$(q run.gpkg "select replace(printf('%.1f', sum(length_m) / 1000.0), '.', ',') from segments")<" ru.html
# the countermeasures by their Russian names (the demo fences the stretch where livestock is hit), and their evidence
check: [ "$(q run.gpkg "select count(*) from plan where selected and '+' || countermeasure || '+' like '%+livestock_fencing+%'")" -ge 1 ] && grep -q 'Ограждение от скота со скотопрогонами' ru.html
# by default every alternative's CMF is checked (doc/evidence.md): the evidence column says so, nothing flagged
check: [ "$(q run.gpkg "select count(*) from plan where cmf_status != 'checked'")" = 0 ] && grep -q '<td class="ev">CMF сверен с источником<br><span class="src">' ru.html && ! grep -q 'class="ev flag"' ru.html
check: grep -q '<html lang="kk">' kk.html && grep -q 'Жол қозғалысы қауіпсіздігі туралы есеп' kk.html && grep -q 'өліммен аяқталған' kk.html

#> report: with --allow-unrated, a CMF not checked against its source is flagged beside the countermeasure, its source shown
run: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 --allow-unrated yes -o run.gpkg -q
$ report run.gpkg -o report.html -q
# the plan's evidence is the catalogue's: each single entry's status and source as data/countermeasures.json has them
check: python3 -c "import json; [print(c['id'] + '|' + c['status'] + '|' + c['source']) for c in json.load(open('$DATA/countermeasures.json'))['countermeasures']]" | sort > want.txt && sqlite3 -batch -noheader run.gpkg "select distinct countermeasure || '|' || cmf_status || '|' || cmf_source from plan where countermeasure not like '%+%'" | sort > got.txt && [ -s got.txt ] && comm -13 want.txt got.txt | wc -l | grep -qx 0
check: [ "$(q run.gpkg "select count(*) from plan where cmf_status != 'checked'")" -ge 1 ] && grep -q '<td class="ev flag">CMF not yet checked against its source<br><span class="src">' report.html
# stars and standard errors as the catalogue has them (single entries; a bundle its weakest entry's stars, no SE), shown beside the evidence
check: python3 -c "import json, sqlite3, sys; cat = {c['id']: c for c in json.load(open('$DATA/countermeasures.json'))['countermeasures']}; rows = sqlite3.connect('run.gpkg').execute('select countermeasure, cmf_stars, cmf_se from plan').fetchall(); ok = all((min(cat[k].get('stars', 0) for k in cm.split('+')) or None) == st and (se == (cat[cm].get('cmf_se') if '+' not in cm else None)) for cm, st, se in rows); sys.exit(not (rows and ok and any(st for _, st, _ in rows)))"
check: grep -q '<span class="stars" title="CMF Clearinghouse quality rating">★★★★☆</span>' report.html && ! grep -q 'class="se"' report.html

#> report: a CMF with a standard error gives the 95 % range of crashes avoided and BCR, beside the evidence
run: mkdir -p d && "$GEN_DEMO" d && python3 -c "import json; d = json.load(open('$DATA/countermeasures.json')); [c.update(cmf_se=0.03) for c in d['countermeasures'] if c['id'] == 'shoulder_rumble_strips']; json.dump(d, open('cat.json', 'w'))"
# a copied catalogue names its prices relative to itself: not there, refused before any data is read; given with --prices
run: "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --budget 2000000 --catalogue cat.json -o no.gpkg -q 2> no.err; [ $? = 2 ] && grep -qF "cat.json names its prices 'prices/example_usd_2024.json', which cannot be read" no.err && [ ! -e no.gpkg ]
run: "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 --catalogue cat.json --prices $DATA/prices/example_usd_2024.json -o run.gpkg -q
$ report run.gpkg -o report.html -q
# one entry: crashes avoided scale with 1 - CMF, so at CMF 0.87 + 1.96 x 0.03 = 0.9288 they are (1 - 0.9288) / 0.13 = 0.547692 of the estimate, at 0.87 - 0.0588 = 0.8112, 0.1888 / 0.13 = 1.452308 times it; costs do not change, so the BCR scales the same
check: [ "$(q run.gpkg "select count(*) from plan where countermeasure = 'shoulder_rumble_strips' and crashes_avoided_per_yr > 0 and abs(crashes_avoided_low_per_yr / crashes_avoided_per_yr - 0.547692) < 1e-6 and abs(crashes_avoided_high_per_yr / crashes_avoided_per_yr - 1.452308) < 1e-6 and abs(bcr_low / bcr - 0.547692) < 1e-4 and abs(bcr_high / bcr - 1.452308) < 1e-4")" = "$(q run.gpkg "select count(*) from plan where countermeasure = 'shoulder_rumble_strips' and crashes_avoided_per_yr > 0")" ] && [ "$(q run.gpkg "select count(*) from plan where countermeasure = 'shoulder_rumble_strips'")" -ge 1 ]
# entries without a standard error have no range
check: [ "$(q run.gpkg "select count(*) from plan where instr(countermeasure, 'shoulder_rumble_strips') = 0 and (bcr_low is not null or crashes_avoided_low_per_yr is not null)")" = 0 ]
check: grep -q '<span class="se">SE 0.030</span> <span class="range">95 % range of BCR ' report.html

#> report: the same run gives the same report, byte for byte
run: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
run: "$RUMBLE" report run.gpkg -o a.html -q
$ report run.gpkg -o b.html -q
check: cmp a.html b.html

#> report: a screening without a plan: figures, map and hotspot cards, no plan sections
run: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane -o screen.gpkg -q
$ report screen.gpkg -o report.html --top 3 --map-by excess
check: [ "$(grep -o '<article class="card' report.html | wc -l)" = 3 ]
check: ! grep -q 'id="n-treatments"' report.html && ! grep -q 'class="cms"' report.html
check: grep -q 'Segments coloured by excess expected crashes' report.html

#> report: wrong input is refused with a clear message and nothing written
$ report nothing.gpkg -o r.html
? 2
err: cannot open 'nothing.gpkg'
absent: r.html

#> report: the report is HTML; an unknown language names itself
run: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" screen --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv -o s.gpkg -q
run: "$RUMBLE" report s.gpkg -o r.pdf 2> pdf.err; echo $? > pdf.code
$ report s.gpkg -o r.html --lang xx
? 2
err: no language 'xx'
err: the languages are: en, kk, ru
check: [ "$(cat pdf.code)" = 2 ] && grep -q 'name it .html' pdf.err
absent: r.html

#> report: with reference populations (screen.population_by) a site's severity and crash-type mix is set against its own population's crashes
run: mkdir -p d && "$GEN_DEMO" d && printf '{ "screen": { "population_by": "area" } }' > p.json && "$RUMBLE" run --config $DATA/demo/project.json --config p.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
$ report run.gpkg -o report.html -q
# the head-on straight's site (km 44+392) and its reference: the counted crashes on segments of its population, counted by SQLite
check: k=$(q run.gpkg "select site from plan where route_id = 'KAZ-R1' and from_m between 44000 and 45000 limit 1") && pop=$(q run.gpkg "select population from plan where site = $k limit 1") && n=$(q run.gpkg "select count(*) from crashes c join segments s on s.segment_id = c.segment_id where c.in_study and s.population = '$pop'") && [ -n "$pop" ] && tr -d '\n' < report.html | sed 's/<article/\n<article/g' | grep "^<article class=\"card\" id=\"site-$k\"" | grep -q "similar roads ($pop)</th></tr></thead><tbody data-reference=\"$n\">"
# and that is not the whole network
check: [ "$(q run.gpkg "select count(*) from crashes where in_study")" != "$(q run.gpkg "select count(*) from crashes c join segments s on s.segment_id = c.segment_id where c.in_study and s.population = (select population from plan where route_id = 'KAZ-R1' and from_m between 44000 and 45000 limit 1)")" ]

#> report: above --map-points the map draws all but the best 5 % as a picture at its resolution (a national network's millions of vertices are more than the map has pixels)
run: mkdir -p d && "$GEN_DEMO" d && "$RUMBLE" run --config $DATA/demo/project.json --roads d/roads.gpkg --crashes d/crashes.csv --spf hsm_rural_2lane --budget 2000000 -o run.gpkg -q
$ report run.gpkg -o pic.html --map-points 100
# every segment outside the best 20 % drawn where the map's own transform puts it, the corners empty (tests/tools/map_picture.py)
check: python3 $ROOT/tests/tools/map_picture.py pic.html run.gpkg
# the best 5 % still vectors, the rest not
check: grep -q '<path class="c1" d="M' pic.html && grep -q '<path class="hot" d="M' pic.html && ! grep -q '<path class="c4"' pic.html && ! grep -q '<path class="c3"' pic.html && ! grep -q '<circle class="ix k4"' pic.html
# under the limit (the default 200,000 points) no picture
check: "$RUMBLE" report run.gpkg -o vec.html -q && ! grep -q '<image class="net"' vec.html && grep -q '<path class="c4" d="M' vec.html
check: bash $ROOT/tests/tools/browser.sh dom pic.html > dom.html && grep -q '<image class="net"' dom.html
check: "$RUMBLE" report run.gpkg -o bad.html --map-points 0 2> e.txt; [ $? = 2 ] && grep -q 'map-points needs a whole number' e.txt && [ ! -e bad.html ]
