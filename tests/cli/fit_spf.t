# rumble fit-spf on the Washington HSIS segments (../shared/data/washington).
# Reference values: R 4.2.2 with MASS 7.3-58 (Debian 12), run once:
#   glm.nb(Total_crashes ~ lnaadt + lnlength, data = d)
#   (Intercept) -9.212501282466 (se 0.4507976324965), lnaadt 1.115947149741
#   (0.0536343838441), lnlength 0.744079079545 (0.0697032369426), theta 2.49985619816,
#   logLik -1097.96004284, AIC 2203.92008568

#> coefficients, standard errors, log-likelihood and AIC agree with MASS::glm.nb
$ fit-spf --sites $SHARED/washington/segments_2016_2018.csv --count Total_crashes --covariates lnaadt,lnlength -o spf.json
out: NB2 fit of Total_crashes on 1501 sites (0 left out)
out:   const                 -9.212501     0.450798
out:   lnaadt                 1.115947     0.053634
out:   lnlength               0.744079     0.069703
out: log-likelihood -1097.9600, AIC 2203.9201
check: grep -q '"var":	"lnaadt"' spf.json && grep -q '"form":	"constant"' spf.json
check: [ "$(wc -l < spf_cure.csv)" = 1502 ]
# the band closes at the last site: 2 sqrt(S (1 - S / S)) = 0
check: [ "$(tail -1 spf_cure.csv | cut -d, -f6)" = 0.000000 ]

#> ln AADT and ln length from raw columns give the same model
$ fit-spf --sites $SHARED/washington/segments_2016_2018.csv --count Total_crashes --aadt AADT --length Length --length-unit mi -o spf.json
out:   ln_aadt                1.115947     0.053634
out:   ln_length              0.744079     0.069703
check: grep -q '"length_unit":	"mi"' spf.json && grep -q '"var":	"ln_aadt"' spf.json
# a fitted SPF claims no base conditions it was not given (it once wrote lanes_max 0, which flagged every road)
check: ! grep -q 'base_conditions' spf.json

#> more covariates (R: speed50 -0.422607571952 (0.1102502509852), ShouldWidth04 0.371934940288 (0.0905270778767))
$ fit-spf --sites $SHARED/washington/segments_2016_2018.csv --count Total_crashes --covariates lnaadt,lnlength,speed50,ShouldWidth04 -o spf.json -q
check: grep -A2 '"var":	"speed50"' spf.json | grep -q '"coef":	-0.42260757'
check: grep -A2 '"var":	"ShouldWidth04"' spf.json | grep -q '"coef":	0.37193494'

#> a column that is not there
$ fit-spf --sites $SHARED/washington/segments_2016_2018.csv --count Total_crashes --covariates lnadt -o spf.json
? 1
err: no column 'lnadt' (--covariates); columns are: ID, Year, AADT
absent: spf.json

#> missing options
$ fit-spf --sites x.csv -o spf.json
? 2
err: needs --sites, --count and -o SPF.json
