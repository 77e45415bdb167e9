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
BUILD    ?= build
MUSTACHE_SPEC ?= $(abspath ../shared/mustache-spec)

PKGS     := libcmark-gfm jansson yaml-0.1 sqlite3 fcgi
WARN     := -Wall -Wextra -Wshadow $(if $(WERROR),-Werror)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcmark-gfm-extensions
ALL_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -DTC_VERSION='"$(VERSION)"' $(WARN) $(PKG_CFLAGS) $(CFLAGS)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

LIB_SRC := $(wildcard lib/*.c)
GEN_SRC := $(filter-out gen/main.c,$(wildcard gen/*.c))
CGI_SRC := $(filter-out cgi/main.c,$(wildcard cgi/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
GEN_OBJ := $(GEN_SRC:%.c=$(BUILD)/%.o)
CGI_OBJ := $(CGI_SRC:%.c=$(BUILD)/%.o)
TESTS   := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))
TEST_BIN := $(TESTS:%=$(BUILD)/tests/%)

# Debian packages the build, the tests and `make serve` need.
DEB_PKGS := build-essential pkg-config libcmark-gfm-dev libcmark-gfm-extensions-dev \
	libjansson-dev libyaml-dev libsqlite3-dev libfcgi-dev libcmocka-dev \
	valgrind nginx-light curl python3 chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all bins site serve check deps unit check-asan check-valgrind check-integration check-browser screenshots bench \
	install clean golden format

all: $(BUILD)/tc-gen $(BUILD)/tc-search

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD)/%.o: %.c $(wildcard lib/*.h gen/*.h cgi/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/tc-gen: $(BUILD)/gen/main.o $(GEN_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tc-search: $(BUILD)/cgi/main.o $(CGI_OBJ) $(LIB_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# Every test links every module: tests call module functions directly.
$(BUILD)/tests/%: tests/%.c $(GEN_OBJ) $(CGI_OBJ) $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS)

site: deps
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
	    --error-exitcode=99 build/vg/tests/$$t >/dev/null; \
	done
	@echo "valgrind: no errors, no leaks"

# A real nginx and tc-search on a free loopback port (deploy/serve.sh).
check-integration: all
	TC_BIN=$(abspath $(BUILD)) python3 tests/integration/test_http.py

# Headless Debian chromium driven by playwright-core (npm, lock committed).
tests/browser/node_modules: tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund
	@touch $@

check-browser: all tests/browser/node_modules
	cd tests/browser && TC_BIN=$(abspath $(BUILD)) node --test browser.test.mjs

screenshots: all tests/browser/node_modules
	cd tests/browser && TC_BIN=$(abspath $(BUILD)) node screenshots.mjs

# Benchmarks (not part of check): docs/BENCHMARKS.md. Needs hugo and wrk.
$(BUILD)/bench-floor: bench/floor.c
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(PKG_LIBS)

$(BUILD)/bench-hello: bench/hello.c
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(PKG_LIBS)

bench: deps
	@command -v hugo >/dev/null && command -v wrk >/dev/null || \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo wrk
	@$(MAKE) --no-print-directory all $(BUILD)/bench-floor $(BUILD)/bench-hello CFLAGS="-O2 -g"
	python3 bench/bench.py $(BENCH_ARGS)

check: deps
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory check-integration
	@$(MAKE) --no-print-directory check-browser
	@$(MAKE) --no-print-directory check-asan
	@$(MAKE) --no-print-directory check-valgrind
	@echo "all checks passed"

# Regenerates the golden pages of the fixture site after a deliberate change.
golden: $(BUILD)/tc-gen
	rm -rf tests/golden/mini
	./$(BUILD)/tc-gen --content tests/fixtures/mini --output tests/golden/mini --index ""

format:
	clang-format -i lib/*.[ch] gen/*.[ch] cgi/*.[ch] tests/*.c

serve: deps
	@$(MAKE) --no-print-directory all
	./$(BUILD)/tc-gen
	@exec deploy/serve.sh --port $(PORT) --bin $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/man/man8 $(DESTDIR)$(PREFIX)/share/tc/templates/assets \
	  $(DESTDIR)$(PREFIX)/lib/systemd/system
	install -m 755 $(BUILD)/tc-gen $(BUILD)/tc-search $(DESTDIR)$(PREFIX)/bin/
	install -m 644 doc/tc-gen.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 doc/tc-search.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	install -m 644 templates/*.mustache $(DESTDIR)$(PREFIX)/share/tc/templates/
	install -m 644 templates/assets/* $(DESTDIR)$(PREFIX)/share/tc/templates/assets/
	install -m 644 deploy/systemd/tc-search.socket $(DESTDIR)$(PREFIX)/lib/systemd/system/
	sed 's|@BINDIR@|$(PREFIX)/bin|' deploy/systemd/tc-search.service.in > $(DESTDIR)$(PREFIX)/lib/systemd/system/tc-search.service

clean:
	rm -rf build public public.tmp-* tc-index.sqlite
