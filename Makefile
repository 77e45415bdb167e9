# tc: trust-center generator (tc-gen) and FastCGI search (tc-search).
#
#   make site     install what is missing, build, generate public/ from content/
#   make serve    the same, then serve it with nginx + tc-search (PORT=8080)
#   make check    install what is missing, then run every test
#   make install  PREFIX=/usr/local DESTDIR=

VERSION  := 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
CFLAGS   ?= -O2 -g
LDFLAGS  ?=
PORT     ?= 8080
# Debian's python3: the test helpers are Debian python3-* packages.
PYTHON   ?= /usr/bin/python3
BUILD    ?= build
MUSTACHE_SPEC ?= $(abspath tests/mustache-spec)

PKGS     := libcmark-gfm jansson yaml-0.1 sqlite3 fcgi libcrypto xlsxwriter libseccomp pangocairo cairo-pdf
WARN     := -Wall -Wextra -Wshadow $(if $(WERROR),-Werror)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# Each binary links what it uses: tc-gen parses Markdown and YAML, tc-search
# speaks FastCGI (and sandboxes its workers with seccomp); both use jansson
# and SQLite through lib/, and write XLSX (api/tom.xlsx,
# /api/export?format=xlsx) with libxlsxwriter. Both tokenize German and
# English search text with libstemmer's Snowball stemmers (lib/ftstok.c).
# Both write the annexes as PDFs with cairo and pango (lib/pdf.c): tc-gen
# the site's, tc-search a customer's (POST /api/annex).
LIB_LIBS := $(shell pkg-config --libs jansson sqlite3 libcrypto xlsxwriter pangocairo cairo-pdf 2>/dev/null) -lstemmer -lm
GEN_LIBS := $(shell pkg-config --libs libcmark-gfm yaml-0.1 2>/dev/null) -lcmark-gfm-extensions $(LIB_LIBS)
CGI_LIBS := $(shell pkg-config --libs fcgi libseccomp 2>/dev/null) $(LIB_LIBS)
PKG_LIBS := $(GEN_LIBS) $(CGI_LIBS)
ALL_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -DTC_VERSION='"$(VERSION)"' $(WARN) $(PKG_CFLAGS) -MMD -MP $(CFLAGS)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

LIB_SRC := $(wildcard lib/*.c)
GEN_SRC := $(filter-out gen/main.c,$(wildcard gen/*.c))
CGI_SRC := $(filter-out cgi/main.c,$(wildcard cgi/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
GEN_OBJ := $(GEN_SRC:%.c=$(BUILD)/%.o)
CGI_OBJ := $(CGI_SRC:%.c=$(BUILD)/%.o)
TESTS   := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))
TEST_BIN := $(TESTS:%=$(BUILD)/tests/%)

# Debian packages building and serving need (`make site`, `make serve`),
# and those only the tests need besides (`make check`: the browser, the
# fuzzers, the checkers).
SERVE_PKGS := build-essential pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev \
	libjansson-dev libyaml-dev libsqlite3-dev libfcgi-dev libssl-dev \
	nginx-light libseccomp-dev libxlsxwriter-dev \
	libstemmer-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core
TEST_PKGS := libcmocka-dev valgrind curl python3 chromium clang libclang-rt-14-dev \
	poppler-utils trang libxml2-utils python3-feedparser \
	python3-jsonschema python3-openpyxl python3-hypothesis
DEB_PKGS := $(SERVE_PKGS) $(TEST_PKGS)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: fuzz fuzz-replay all bins site serve check check-format deps deps-serve unit check-asan check-valgrind check-integration check-browser check-lighthouse screenshots bench bench-quality \
	install clean golden format

all: $(BUILD)/tc-gen $(BUILD)/tc-search

deps-serve: PKGS_NEEDED = $(SERVE_PKGS)
deps: PKGS_NEEDED = $(DEB_PKGS) $(if $(shell command -v npm),,nodejs npm)
deps deps-serve:
	@missing=""; for p in $(PKGS_NEEDED); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# Header dependencies come from the compiler (-MMD): build/**/*.d.
$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# English is built in (lib/lang.c includes the file with .incbin, which the
# compiler's -MMD does not see).
$(BUILD)/lib/lang.o: templates/i18n/en.json
$(BUILD)/lib/vocab.o: templates/i18n/marks.json

$(BUILD)/tc-gen: $(BUILD)/gen/main.o $(GEN_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(GEN_LIBS)

$(BUILD)/tc-search: $(BUILD)/cgi/main.o $(CGI_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CGI_LIBS)

# Every test links every module: tests call module functions directly.
$(BUILD)/tests/%: tests/%.c $(GEN_OBJ) $(CGI_OBJ) $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(PKG_LIBS) $(CMOCKA_LIBS)

site: deps-serve
	@$(MAKE) --no-print-directory all
	./$(BUILD)/tc-gen
	@echo "site: $(abspath public)/index.html"

bins: $(TEST_BIN) $(BUILD)/tc-gen $(BUILD)/tc-search

unit: bins
	@set -e; for t in $(TESTS); do \
	  echo "== $$t"; MUSTACHE_SPEC=$(MUSTACHE_SPEC) TC_ROOT=$(CURDIR) TC_BIN=$(abspath $(BUILD)) $(TEST_ENV) $(BUILD)/tests/$$t; \
	done

ASAN_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
check-asan:
	@$(MAKE) --no-print-directory unit BUILD=build/asan CFLAGS="$(ASAN_CFLAGS)" \
	  TEST_ENV="ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1"
	@$(MAKE) --no-print-directory check-integration BUILD=build/asan CFLAGS="$(ASAN_CFLAGS)"

check-valgrind:
	@$(MAKE) --no-print-directory bins BUILD=build/vg CFLAGS="-O0 -g"
	@set -e; for t in $(TESTS); do \
	  echo "== valgrind $$t"; MUSTACHE_SPEC=$(MUSTACHE_SPEC) TC_ROOT=$(CURDIR) TC_BIN=$(abspath build/vg) \
	  valgrind -q --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
	    --suppressions=tests/valgrind.supp \
	    --error-exitcode=99 build/vg/tests/$$t >/dev/null; \
	done
	@echo "valgrind: no errors, no leaks"

# A real nginx and tc-search on a free loopback port (deploy/serve.sh).
# Debian's python3: the Debian packages the tests import (jsonschema,
# openpyxl, hypothesis) are installed for it, not for another python3 first
# on PATH.
PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)
check-integration: all
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) tests/integration/test_http.py
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) tests/integration/test_serve.py
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) tests/integration/test_subpath.py
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) tests/integration/test_meaning.py
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) tests/integration/test_changes.py
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) tests/integration/test_languages.py
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) tests/integration/test_german.py
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) tests/integration/test_entries.py
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) tests/integration/test_quality.py
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) tests/integration/test_index_faults.py
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) tests/integration/test_faults.py
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) tests/integration/test_annex.py
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) tests/test_feeds.py
	@test -d tests/browser/node_modules/@redocly/cli || \
	  (cd tests/browser && npm ci --no-audit --no-fund) || \
	  echo "check-integration: npm ci failed; the OpenAPI lint will be skipped"
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) tests/integration/test_interop.py

# Headless Debian chromium driven by playwright-core (npm, lock committed).
tests/browser/node_modules: tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund
	@touch $@

check-browser: all tests/browser/node_modules
	cd tests/browser && TC_BIN=$(abspath $(BUILD)) node --test browser.test.mjs

# Lighthouse 12.2.3 (npm, with Debian's chromium; mobile) on every page
# kind in both languages: each category at least 0.95.
check-lighthouse: all tests/browser/node_modules
	cd tests/browser && TC_BIN=$(abspath $(BUILD)) node lighthouse.mjs

screenshots: all tests/browser/node_modules
	cd tests/browser && TC_BIN=$(abspath $(BUILD)) node screenshots.mjs

# Benchmarks (not part of check): docs/BENCHMARKS.md. Needs hugo and wrk.
$(BUILD)/bench-floor: bench/floor.c
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(PKG_LIBS)

$(BUILD)/bench-hello: bench/hello.c
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(PKG_LIBS)

$(BUILD)/bench-launch: bench/launch.c
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $<

# The annex PDFs alone (lib/pdf.c), from a site's api/tom.json.
$(BUILD)/bench-pdf: bench/pdf_bench.c $(GEN_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(GEN_LIBS)

bench: deps
	@command -v hugo >/dev/null && command -v wrk >/dev/null || \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo wrk
	@$(MAKE) --no-print-directory all $(BUILD)/bench-floor $(BUILD)/bench-hello $(BUILD)/bench-launch $(BUILD)/bench-pdf CFLAGS="-O2 -g"
	python3 bench/bench.py $(BENCH_ARGS)
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) bench/annex_bench.py 200 1
	TC_BIN=$(abspath $(BUILD)) $(PYTHON) bench/annex_bench.py 400 4

# Search quality only (nDCG@5 and empty answers on tests/quality/queries.json).
bench-quality: all
	TC_BENCH_BUILD=$(BUILD) python3 bench/bench.py --quality-only

# libFuzzer harnesses: tests/fuzz/fuzz_<name>.c, each with a seed corpus in
# tests/fuzz/corpus/<name>/ and the crashes found so far in
# tests/fuzz/crashes/<name>/ (kept as regression inputs). `make fuzz` runs
# each harness for FUZZ_SECONDS; `make fuzz-replay` (part of make check)
# runs every committed input once.
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_BUILD   := build/fuzz
FUZZ_FLAGS   := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN     := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)

FUZZ_OBJ     := $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(LIB_SRC) $(GEN_SRC) $(CGI_SRC))
FUZZ_CFLAGS  := -std=c11 -D_DEFAULT_SOURCE -DTC_VERSION='"$(VERSION)"' -Wall -Wextra -Wshadow \
	$(PKG_CFLAGS) -MMD -MP $(FUZZ_FLAGS)

# The modules built for the harnesses, with their own header dependencies:
# a harness is relinked when a module it links changed (it used to depend
# on its own source only, so a replay could run a stale harness).
$(FUZZ_OBJ): $(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@
$(FUZZ_BUILD)/lib/lang.o: templates/i18n/en.json
$(FUZZ_BUILD)/lib/vocab.o: templates/i18n/marks.json
-include $(shell find $(FUZZ_BUILD) -name '*.d' 2>/dev/null)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS)

fuzz: deps $(FUZZ_BIN)
	@set -e; for n in $(FUZZ_NAMES); do \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$n tests/fuzz/crashes/$$n; \
	  echo "== fuzz $$n for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_BUILD)/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=tests/fuzz/crashes/$$n/ $(FUZZ_BUILD)/corpus/$$n tests/fuzz/corpus/$$n \
	    2>&1 | grep -E '^(#[0-9]+.*DONE|stat::|==[0-9]+==ERROR|SUMMARY)' || true; \
	done

# Fails when a harness fails on any committed input (tests/fuzz/replay.sh);
# first it checks that it would: a planted crash must fail the replay, and
# the same harness over harmless inputs must pass.
fuzz-replay: $(FUZZ_BIN) $(FUZZ_BUILD)/planted
	@set -e; t=$$(mktemp -d); trap 'rm -rf "$$t"' EXIT; \
	mkdir -p $$t/ok $$t/crash; echo harmless > $$t/ok/a; echo PLANTED > $$t/crash/a; \
	tests/fuzz/replay.sh $(FUZZ_BUILD)/planted $$t/ok >/dev/null; \
	if tests/fuzz/replay.sh $(FUZZ_BUILD)/planted $$t/ok $$t/crash >/dev/null 2>&1; then \
	  echo "fuzz-replay: a planted crash went unnoticed" >&2; exit 1; fi; \
	echo "== replay: a planted crash fails the replay"
	@set -e; for n in $(FUZZ_NAMES); do \
	  echo "== replay $$n"; \
	  tests/fuzz/replay.sh $(FUZZ_BUILD)/fuzz_$$n tests/fuzz/corpus/$$n tests/fuzz/crashes/$$n; \
	done

$(FUZZ_BUILD)/planted: tests/fuzz/planted.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $<

check: deps
	@$(MAKE) --no-print-directory check-format
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory fuzz-replay
	@$(MAKE) --no-print-directory check-integration
	@$(MAKE) --no-print-directory check-browser
	@$(MAKE) --no-print-directory check-lighthouse
	@$(MAKE) --no-print-directory check-asan
	@$(MAKE) --no-print-directory check-valgrind
	@echo "all checks passed"

# Regenerates the golden pages of the fixture site after a deliberate change.
golden: $(BUILD)/tc-gen
	rm -rf tests/golden/mini
	./$(BUILD)/tc-gen --content tests/fixtures/mini --output tests/golden/mini --index ""
	rm -f tests/golden/mini.lock

FORMAT_SRC = $(wildcard lib/*.[ch] gen/*.[ch] cgi/*.[ch] tests/*.c tests/fuzz/*.c)
format:
	clang-format -i $(FORMAT_SRC)

# The layout is clang-format's (.clang-format): a file it would change
# fails the check, so `make format` before committing.
check-format:
	clang-format --dry-run -Werror $(FORMAT_SRC)

serve: deps-serve
	@$(MAKE) --no-print-directory all
	./$(BUILD)/tc-gen
	@exec deploy/serve.sh --port $(PORT) --bin $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/tc/templates/assets \
	  $(DESTDIR)$(PREFIX)/share/tc/templates/schema \
	  $(DESTDIR)$(PREFIX)/share/tc/templates/i18n \
	  $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 755 $(BUILD)/tc-gen $(BUILD)/tc-search $(DESTDIR)$(PREFIX)/bin/
	install -m 644 doc/tc-gen.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 doc/tc-search.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 644 templates/*.mustache $(DESTDIR)$(PREFIX)/share/tc/templates/
	install -m 644 templates/assets/* $(DESTDIR)$(PREFIX)/share/tc/templates/assets/
	install -m 644 templates/schema/* $(DESTDIR)$(PREFIX)/share/tc/templates/schema/
	install -m 644 templates/i18n/*.json $(DESTDIR)$(PREFIX)/share/tc/templates/i18n/
	install -m 644 deploy/systemd/tc-search.socket $(DESTDIR)$(PREFIX)/lib/systemd/system/
	sed 's|@BINDIR@|$(PREFIX)/bin|' deploy/systemd/tc-search.service.in > $(DESTDIR)$(PREFIX)/lib/systemd/system/tc-search.service

clean:
	rm -rf build public public.tmp-* public.lock tc-index.sqlite
