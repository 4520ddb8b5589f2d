# rumble — build, test, demo, install. `make` builds build/rumble and build/librumble.a.
# `make check` runs every test, plain and under ASan+UBSan; `make demo` runs the
# whole job on the bundled demo data. Both install missing Debian packages first.
# `make install` (PREFIX, DESTDIR) installs the program, library, headers,
# pkg-config file, data and man page; doc/install.md says what goes where.

CC      ?= gcc
PKGS     = gdal libcjson
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
WARN     = -pthread -std=c11 -Wall -Wextra -Wshadow -Wno-unused-parameter -D_POSIX_C_SOURCE=200809L
# read once per make (each entry point runs its build in a fresh make, after deps)
DEPCFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DEPLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread
DATADIR  ?= $(CURDIR)/data
# gold links the sanitizer build's programs in a quarter of the time of the
# default linker (some forty links in make check); the default where it is missing
FASTLD   := $(shell $(CC) -fuse-ld=gold -Wl,--version 2>/dev/null | grep -q 'GNU gold' && echo -fuse-ld=gold)

B        = build
NPROC   ?= $(shell nproc 2>/dev/null || echo 2)
# -j for the sub-make of `check`, unless make was started with its own -j
JOBS     = $(if $(findstring jobserver,$(MAKEFLAGS)),,-j$(NPROC))
LIBSRC   = $(wildcard src/core/*.c src/io/*.c src/net/*.c src/index/*.c \
                      src/match/*.c src/screen/*.c src/plan/*.c src/report/*.c \
                      src/run/*.c)
CLISRC   = $(wildcard src/cli/*.c)
HDRS     = $(wildcard src/*.h src/*/*.h)
TESTS    = $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))
# the fuzz harnesses, tests/fuzz/fuzz_NAME.c; NAME's corpus is tests/fuzz/NAME/
FUZZERS  = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all build deps deps-test man check test tests-bin san-bin demo bench clean install uninstall fuzz fuzz-bin fuzz-merge

# Each entry point installs missing packages first, then builds in a fresh make so
# that pkg-config's flags are read after the install.
all: deps
	@$(MAKE) --no-print-directory build

build: $(B)/rumble $(B)/librumble.a

deps:
	@sh .ci/deps.sh

deps-test:
	@sh .ci/deps.sh test

# ---- plain build --------------------------------------------------------------
$(B)/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(DEPCFLAGS) -DRB_DATADIR='"$(DATADIR)"' -DRB_DATADIR_CLI='"$(DATADIR)"' -Isrc -c $< -o $@

$(B)/librumble.a: $(patsubst src/%.c,$(B)/obj/%.o,$(LIBSRC))
	@rm -f $@
	ar rcs $@ $^

$(B)/rumble: $(patsubst src/%.c,$(B)/obj/%.o,$(CLISRC)) $(B)/librumble.a
	$(CC) $(FASTLD) $(CFLAGS) -o $@ $^ $(DEPLIBS)

$(B)/tests/%: tests/%.c tests/tcheck.h tests/tnet.h tests/toom.h $(B)/librumble.a
	@mkdir -p $(dir $@)
	$(CC) $(FASTLD) $(WARN) $(CFLAGS) $(DEPCFLAGS) -Isrc -Itests -o $@ $< $(B)/librumble.a $(DEPLIBS)

$(B)/gen_demo: data/demo/gen_demo.c $(B)/librumble.a
	$(CC) $(FASTLD) $(WARN) $(CFLAGS) $(DEPCFLAGS) -Isrc -o $@ $< $(B)/librumble.a $(DEPLIBS)

$(B)/bench_plan_opt: bench/plan_opt.c $(B)/librumble.a
	$(CC) $(FASTLD) $(WARN) $(CFLAGS) $(DEPCFLAGS) -Isrc -o $@ $< $(B)/librumble.a $(DEPLIBS)

$(B)/gen_grid: bench/gen_grid.c $(B)/librumble.a
	$(CC) $(FASTLD) $(WARN) $(CFLAGS) $(DEPCFLAGS) -Isrc -o $@ $< $(B)/librumble.a $(DEPLIBS)

# ---- sanitizer build (separate object tree) -----------------------------------
SAN = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
$(B)/san/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(SAN) $(DEPCFLAGS) -DRB_DATADIR='"$(DATADIR)"' -DRB_DATADIR_CLI='"$(DATADIR)"' -Isrc -c $< -o $@

$(B)/san/librumble.a: $(patsubst src/%.c,$(B)/san/obj/%.o,$(LIBSRC))
	@rm -f $@
	ar rcs $@ $^

$(B)/san/rumble: $(patsubst src/%.c,$(B)/san/obj/%.o,$(CLISRC)) $(B)/san/librumble.a
	$(CC) $(FASTLD) $(SAN) -o $@ $^ $(DEPLIBS)

$(B)/san/tests/%: tests/%.c tests/tcheck.h tests/tnet.h tests/toom.h $(B)/san/librumble.a
	@mkdir -p $(dir $@)
	$(CC) $(FASTLD) $(WARN) $(SAN) $(DEPCFLAGS) -Isrc -Itests -o $@ $< $(B)/san/librumble.a $(DEPLIBS)

# the fuzz corpora replayed by a plain main() (tests/fuzz/replay.c), for `make check`
FUZZDEPS = tests/fuzz/replay.c tests/fuzz/fuzz.h
$(B)/fuzz/replay_%: tests/fuzz/fuzz_%.c $(FUZZDEPS) $(B)/librumble.a
	@mkdir -p $(dir $@)
	$(CC) $(FASTLD) $(WARN) $(CFLAGS) $(DEPCFLAGS) -Isrc -o $@ $< tests/fuzz/replay.c $(B)/librumble.a $(DEPLIBS)

$(B)/san/fuzz/replay_%: tests/fuzz/fuzz_%.c $(FUZZDEPS) $(B)/san/librumble.a
	@mkdir -p $(dir $@)
	$(CC) $(FASTLD) $(WARN) $(SAN) $(DEPCFLAGS) -Isrc -o $@ $< tests/fuzz/replay.c $(B)/san/librumble.a $(DEPLIBS)

# ---- fuzzing (clang, libFuzzer; third object tree) ------------------------------
# `make fuzz` runs each harness FUZZ_RUNS times, one after the other (FUZZERS=
# "date csv" for some), on its seed corpus tests/fuzz/NAME/ plus what earlier
# runs found (build/fuzz/corpus/NAME/); a crash is written to
# build/fuzz/artifacts/. `make fuzz-merge` folds what was found into the seed
# corpus, minimised (-merge=1), for `make check` to replay.
FUZZCC    ?= clang
FUZZ_RUNS ?= 10000000
FUZZ_ARGS ?=
FUZZSAN   = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# inputs up to this long (bytes). Longer ones find nothing more and slow the
# search down: a value map of 2 kB is thousands of pairs, each looked up in the
# rest (2,400 runs/s, against 20,000 and more at 256 bytes); the CSV harness
# writes and opens a file per input.
FUZZ_MAXLEN ?= 2048
FUZZ_MAXLEN_valmap ?= 256
FUZZ_MAXLEN_config ?= 1024
FUZZ_MAXLEN_csv ?= 1024
$(B)/fuzz/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZCC) $(WARN) $(FUZZSAN) -fsanitize=fuzzer-no-link $(DEPCFLAGS) -DRB_DATADIR='"$(DATADIR)"' -DRB_DATADIR_CLI='"$(DATADIR)"' -Isrc -c $< -o $@

$(B)/fuzz/librumble.a: $(patsubst src/%.c,$(B)/fuzz/obj/%.o,$(LIBSRC))
	@rm -f $@
	ar rcs $@ $^

$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(B)/fuzz/librumble.a
	$(FUZZCC) $(WARN) $(FUZZSAN) -fsanitize=fuzzer $(DEPCFLAGS) -Isrc -o $@ $< $(B)/fuzz/librumble.a $(DEPLIBS)

fuzz-bin: $(addprefix $(B)/fuzz/fuzz_,$(FUZZERS))

# one harness: its corpus dirs, then FUZZ_RUNS runs
fuzz_one = mkdir -p $(B)/fuzz/corpus/$(1) $(B)/fuzz/artifacts tests/fuzz/$(1) && \
    echo "== fuzz_$(1): $(FUZZ_RUNS) runs" && \
    $(B)/fuzz/fuzz_$(1) -runs=$(FUZZ_RUNS) -max_len=$(or $(FUZZ_MAXLEN_$(1)),$(FUZZ_MAXLEN)) \
        -print_final_stats=1 -artifact_prefix=$(B)/fuzz/artifacts/$(1)- $(FUZZ_ARGS) \
        $(B)/fuzz/corpus/$(1) tests/fuzz/$(1)

fuzz: fuzz-bin
	@$(foreach t,$(FUZZERS),$(call fuzz_one,$(t)) &&) true

# The seed corpus kept: the fewest inputs with every feature (-merge=1); when that
# is more than FUZZ_KEEP files, the fewest that reach every edge (-use_counters=0).
FUZZ_KEEP ?= 200
fuzz-merge: fuzz-bin
	@for t in $(FUZZERS); do \
	    mkdir -p $(B)/fuzz/corpus/$$t; \
	    for opt in "" -use_counters=0; do \
	        rm -rf $(B)/fuzz/merged/$$t && mkdir -p $(B)/fuzz/merged/$$t; \
	        $(B)/fuzz/fuzz_$$t -merge=1 $$opt $(B)/fuzz/merged/$$t tests/fuzz/$$t $(B)/fuzz/corpus/$$t \
	            2>$(B)/fuzz/merged/$$t.log || { cat $(B)/fuzz/merged/$$t.log; exit 1; }; \
	        [ $$(ls $(B)/fuzz/merged/$$t | wc -l) -le $(FUZZ_KEEP) ] && break; \
	    done; \
	    rm -rf tests/fuzz/$$t && mv $(B)/fuzz/merged/$$t tests/fuzz/$$t; \
	    echo "fuzz_$$t: $$(ls tests/fuzz/$$t | wc -l) files, $$(cat tests/fuzz/$$t/* | wc -c) bytes in tests/fuzz/$$t"; \
	done

# ---- tests ---------------------------------------------------------------------
tests-bin: $(addprefix $(B)/tests/,$(TESTS)) $(B)/gen_demo $(B)/gen_grid $(addprefix $(B)/fuzz/replay_,$(FUZZERS))
san-bin: $(B)/san/rumble $(addprefix $(B)/san/tests/,$(TESTS)) $(B)/san/gen_demo \
         $(addprefix $(B)/san/fuzz/replay_,$(FUZZERS))

$(B)/san/gen_demo: data/demo/gen_demo.c $(B)/san/librumble.a
	$(CC) $(FASTLD) $(WARN) $(SAN) $(DEPCFLAGS) -Isrc -o $@ $< $(B)/san/librumble.a $(DEPLIBS)

# Both trees built once, in parallel; then the tests, NPROC at a time.
check: deps-test
	@$(MAKE) --no-print-directory $(JOBS) build tests-bin san-bin
	@bash tests/run.sh -j $(NPROC) plain san

test: check

# ---- demo ------------------------------------------------------------------------
demo: deps
	@$(MAKE) --no-print-directory build $(B)/gen_demo
	@sh data/demo/run.sh $(B)

bench: deps
	@$(MAKE) --no-print-directory build $(B)/gen_grid
	@bash bench/match.sh

# the man page, made from each command's --help (tests/cli/help.t checks it is current)
man: build
	@bash doc/mkman.sh $(B)/rumble > doc/rumble.1

# ---- install ---------------------------------------------------------------------
# The installed program finds its data in <bin>/../share/rumble (after --data-dir,
# $RUMBLE_DATA_DIR and the source tree's data/). The library is static: its
# pkg-config file gives GDAL and cJSON in Libs.private (pkg-config --static).
PREFIX      ?= /usr/local
DESTDIR     ?=
bindir      ?= $(PREFIX)/bin
libdir      ?= $(PREFIX)/lib
includedir  ?= $(PREFIX)/include
datarootdir ?= $(PREFIX)/share
mandir      ?= $(datarootdir)/man
pkgdatadir   = $(datarootdir)/rumble
pkgconfigdir = $(libdir)/pkgconfig
VERSION      = $(shell sed -n 's/^\#define RB_VERSION "\(.*\)"/\1/p' src/core/core.h)
# the library's headers, src/ layout kept (the command line's and io's internal.h are not API)
PUBHDRS      = $(filter-out src/cli/% src/%/internal.h,$(HDRS))
# data files, relative to data/ (not the demo)
DATAFILES    = $(patsubst data/%,%,$(filter-out data/demo/%,$(shell find data -type f 2>/dev/null | LC_ALL=C sort)))
# a directory under PREFIX is written relative to ${prefix} so that pkg-config's
# --define-variable=prefix=... moves the whole file
pcdir        = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))

install: $(B)/rumble $(B)/librumble.a
	install -d '$(DESTDIR)$(bindir)' '$(DESTDIR)$(libdir)' '$(DESTDIR)$(pkgconfigdir)' \
	    '$(DESTDIR)$(includedir)/rumble' '$(DESTDIR)$(pkgdatadir)' '$(DESTDIR)$(mandir)/man1'
	install -m 755 $(B)/rumble '$(DESTDIR)$(bindir)/rumble'
	install -m 644 $(B)/librumble.a '$(DESTDIR)$(libdir)/librumble.a'
	@for h in $(PUBHDRS); do \
	    echo "install -m 644 $$h $(DESTDIR)$(includedir)/rumble/$${h#src/}"; \
	    install -D -m 644 "$$h" "$(DESTDIR)$(includedir)/rumble/$${h#src/}" || exit 1; \
	done
	@for f in $(DATAFILES); do \
	    echo "install -m 644 data/$$f $(DESTDIR)$(pkgdatadir)/$$f"; \
	    install -D -m 644 "data/$$f" "$(DESTDIR)$(pkgdatadir)/$$f" || exit 1; \
	done
	install -m 644 doc/rumble.1 '$(DESTDIR)$(mandir)/man1/rumble.1'
	sed -e 's|@prefix@|$(PREFIX)|' -e 's|@libdir@|$(call pcdir,$(libdir))|' \
	    -e 's|@includedir@|$(call pcdir,$(includedir))|' -e 's|@pkgdatadir@|$(call pcdir,$(pkgdatadir))|' \
	    -e 's|@version@|$(VERSION)|' -e 's|@deplibs@|$(strip $(DEPLIBS))|' \
	    rumble.pc.in > '$(DESTDIR)$(pkgconfigdir)/rumble.pc'
	@chmod 644 '$(DESTDIR)$(pkgconfigdir)/rumble.pc'

uninstall:
	rm -f '$(DESTDIR)$(bindir)/rumble' '$(DESTDIR)$(libdir)/librumble.a' \
	    '$(DESTDIR)$(pkgconfigdir)/rumble.pc' '$(DESTDIR)$(mandir)/man1/rumble.1'
	rm -rf '$(DESTDIR)$(includedir)/rumble' '$(DESTDIR)$(pkgdatadir)'

clean:
	rm -rf $(B)
