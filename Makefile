# xrm build. `make` builds build/xrm; `make run` and `make test` also install
# what they need (scripts/deps.sh). The test build (build/san/) runs under
# AddressSanitizer and UndefinedBehaviorSanitizer.

CC := gcc
# cairo, pangocairo, librsvg: PDF of quotes and invoices; libxml-2.0: UBL e-invoices;
# libzip: the accountant's ZIP of UBL files. libical: calendar objects from CalDAV clients.
PKGS := libmicrohttpd jansson sqlite3 libsodium libpq cairo pangocairo librsvg-2.0 libxml-2.0 libzip \
        libcurl gmime-3.0 poppler-glib libical
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libcsv (CSV field splitting) ships no pkg-config file.
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv
WARN := -Wall -Wextra -Wshadow -Wno-unused-parameter -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-format-truncation -Werror
# XRM_DEFINES: extra -D flags for the xrm builds, e.g. the Debian package's
# XRM_DEFINES='-DXRM_DEFAULT_CONFIG=\"/etc/xrm/xrm.conf\"' (debian/rules).
XRM_DEFINES ?=
BASE_CFLAGS := -std=c17 -D_GNU_SOURCE -Isrc $(WARN) -MMD -MP $(XRM_DEFINES)
# A change of XRM_DEFINES rebuilds the objects: build/defines holds the value they
# were built with (a tree built before the file existed had none: it starts old).
DEFINES_OLD := $(shell cat build/defines 2>/dev/null || echo '(none)')
ifneq ($(DEFINES_OLD),$(strip $(XRM_DEFINES)))
ifeq ($(DEFINES_OLD)$(strip $(XRM_DEFINES)),(none))
$(shell mkdir -p build && : >build/defines && touch -d @0 build/defines)
else
$(shell mkdir -p build && printf '%s\n' '$(strip $(XRM_DEFINES))' >build/defines)
endif
endif
REL_CFLAGS := -O2 -g
SAN_CFLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

SRCS := $(shell find src -name '*.c' | sort)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
REL_OBJS := $(SRCS:%.c=build/rel/%.o)
SAN_OBJS := $(SRCS:%.c=build/san/%.o)
SAN_LIB_OBJS := $(LIB_SRCS:%.c=build/san/%.o)
TEST_SRCS := $(shell find tests -name 'test-*.c' | sort)
TEST_BINS := $(TEST_SRCS:tests/%.c=build/san/tests/%)

PORT ?= 8080
DB ?= xrm.db

FUZZ_SRCS := $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)
FUZZ_LIB := src/core/error.c src/core/mem.c src/core/buf.c src/core/util.c src/core/json.c \
	src/core/json-fast.c \
	src/core/validate.c src/domain/base/query.c \
	src/io/text.c src/io/csv.c src/io/vcard.c src/io/ical.c src/core/clock.c
# duplicates: the key normalisers (fuzz-keys)
FUZZ_LIB += src/domain/party/keys.c
FUZZ_RUNS ?= 20000
# Messages in Dutch and English: core/error.c translates through core/messages.c.
FUZZ_LIB += src/core/messages.c src/core/messages-nl.c
# E-invoices: the UBL reader (and its writer, for the round trip)
FUZZ_LIB += src/io/ubl.c
# Mail received: the MIME parser (GMime, libxml2's HTML parser)
FUZZ_LIB += src/io/mail-in.c
# CardDAV and CalDAV: WebDAV request bodies (libxml2)
FUZZ_LIB += src/http/dav-xml.c
# CalDAV: calendar objects from clients (libical)
FUZZ_LIB += src/io/ical-in.c

.PHONY: all deps deps-test run test unit api openapi-check test-pg test-cluster web-test fuzz format format-check include-check clean bench bench-quick bench-import bench-caps

all: build/xrm

build/xrm: $(REL_OBJS)
	$(CC) $(REL_CFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread -lm

build/rel/%.o: %.c build/defines
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(WARN_EXTRA) $(REL_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

build/san/xrm: $(SAN_OBJS)
	$(CC) $(SAN_CFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread -lm

build/san/%.o: %.c build/defines
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(WARN_EXTRA) $(SAN_CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

build/san/tests/%: tests/%.c $(SAN_LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(BASE_CFLAGS) $(SAN_CFLAGS) $(PKG_CFLAGS) -Itests -o $@ $< $(SAN_LIB_OBJS) \
		$(PKG_LIBS) -lcmocka -lpthread -lm

# The unit tests above build with WARN (so -Wmissing-prototypes too). The
# fuzz targets do not: their one entry point, LLVMFuzzerTestOneInput, is
# called by libFuzzer and has no header. bench/*.c are built by bench/run.sh,
# not here, and are exempt too.
# The parser sources are compiled once (build/fuzz/obj/) and linked into every target.
FUZZ_CFLAGS := -std=c17 -D_GNU_SOURCE -Isrc -Itests -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all
FUZZ_OBJS := $(FUZZ_LIB:%.c=build/fuzz/obj/%.o)

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -MMD -MP $(PKG_CFLAGS) -c -o $@ $<

build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJS)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(FUZZ_OBJS) $(PKG_LIBS)

# Each parser's fuzz target runs a fixed number of inputs from its seed corpus
# (one make target each, so `make -j fuzz` runs them side by side).
fuzz: $(FUZZ_BINS:build/fuzz/%=fuzz-run-%)
.SECONDARY: $(FUZZ_OBJS) $(FUZZ_BINS)

fuzz-run-%: build/fuzz/%
	@mkdir -p build/fuzz/corpus-$*
	@cp tests/fuzz/corpus/$*/* build/fuzz/corpus-$*/ 2>/dev/null || true
	@$< -runs=$(FUZZ_RUNS) -seed=1 -max_len=4096 build/fuzz/corpus-$* >build/fuzz/$*.log 2>&1 \
		|| { tail -30 build/fuzz/$*.log; echo "fuzz: $* FAILED"; exit 1; }
	@echo "fuzz: $* ok ($(FUZZ_RUNS) runs)"

-include $(REL_OBJS:.o=.d) $(SAN_OBJS:.o=.d) $(FUZZ_OBJS:.o=.d)

deps:
	@scripts/deps.sh run

deps-test:
	@scripts/deps.sh test

run: deps
	@$(MAKE) --no-print-directory -j$$(nproc) build/xrm
	@scripts/run.sh build/xrm $(DB) $(PORT)

# `make test`: first every build in one parallel make (and the npm packages, once,
# before two steps want them), then the steps TEST_JOBS at a time, longest first.
# -O prints each step's output whole when the step ends; -k runs every step even
# when one fails, and make still exits non-zero when any failed.
TEST_JOBS ?= 3
TEST_STEPS := test-pg api web-test fuzz openapi-check test-cluster package-check unit format-check \
	include-check messages-check ubl-check
test: deps-test
	@$(MAKE) --no-print-directory -j$$(nproc) build/xrm build/san/xrm $(TEST_BINS) $(FUZZ_BINS) \
		npm-deps
	@$(MAKE) --no-print-directory -k -O -j$(TEST_JOBS) $(TEST_STEPS)

.PHONY: npm-deps
npm-deps:
	@scripts/npm-deps.sh test

unit: $(TEST_BINS)
	@scripts/run-unit.sh $(TEST_BINS)

# E-invoices: the UBL writer's unit test writes its fixture invoices and credit
# notes to build/ubl/, then the official EN 16931 validation (Saxon-HE) runs
# over all of them: any fatal failed assertion fails the step.
.PHONY: ubl-check
ubl-check: build/san/tests/io/test-ubl
	@XRM_UBL_DIR=build/ubl build/san/tests/io/test-ubl >build/ubl-unit.log 2>&1 \
		|| { cat build/ubl-unit.log; echo "ubl-check: the writer's test FAILED"; exit 1; }
	@scripts/check-ubl.sh build/ubl/*.xml

# The API suite's modules in API_JOBS processes (scripts/run-unittest.py).
API_JOBS ?= 2
api: build/san/xrm build/xrm
	@XRM_BIN=build/san/xrm python3 scripts/run-unittest.py -j$(API_JOBS) --label api -s tests/api

# The OpenAPI document: redocly lint, and a TypeScript client from it that compiles.
openapi-check: build/xrm
	@scripts/test-openapi.sh

test-pg: build/san/xrm build/xrm build/san/tests/store/test-conformance
	@scripts/test-pg.sh

test-cluster: build/xrm
	@scripts/test-ops.sh

web-test: build/xrm
	@scripts/test-web.sh

format:
	clang-format -i $(shell find src tests bench -name '*.[ch]' -not -path 'bench/work/*' -not -path 'bench/data/*')

format-check:
	@scripts/format-check.sh

# No include cycle between modules, no include up a layer (the layer table is in the script).
include-check:
	@python3 scripts/check-includes.py src

# Messages: every English message in src/ has a Dutch one with the same conversions, none stale.
.PHONY: messages-check
messages-check:
	@python3 scripts/check-messages.py

bench: build/xrm
	@bench/run.sh full

bench-quick: build/xrm
	@bench/run.sh quick

# import jobs: `xrm import` of 1M generated CSV rows, rows/s and peak RSS
bench-import: build/xrm
	@bench/import.sh 1000000

# capabilities (issue 24): invoices + PDF/UBL, org chart, campaign into an SMTP sink, CardDAV, webhooks
bench-caps: build/xrm
	@python3 bench/capabilities.py

clean:
	rm -rf build

# Installing: the binary, the web app and the man pages (one per command, made by
# help2man from the binary's --help: scripts/man-pages.sh). The Debian package
# (debian/rules) runs `make install DESTDIR=debian/xrm PREFIX=/usr`.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
WEB_FILES := $(shell find web -type f ! -name README.md | sort)
.PHONY: man install uninstall package-check

man: build/man/xrm.1
build/man/xrm.1: build/xrm scripts/man-pages.sh
	@scripts/man-pages.sh build/xrm build/man

install: build/xrm build/man/xrm.1
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR)/xrm/web
	install -m 755 build/xrm $(DESTDIR)$(BINDIR)/xrm
	install -m 644 build/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	@for f in $(WEB_FILES:web/%=%); do \
		install -D -m 644 web/$$f $(DESTDIR)$(DATADIR)/xrm/web/$$f || exit 1; done
	@echo "installed $(DESTDIR)$(BINDIR)/xrm, $(DESTDIR)$(DATADIR)/xrm/web, $(DESTDIR)$(MANDIR)/man1/xrm*.1"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/xrm $(DESTDIR)$(MANDIR)/man1/xrm.1 $(DESTDIR)$(MANDIR)/man1/xrm-*.1
	rm -rf $(DESTDIR)$(DATADIR)/xrm

# The Debian package: built in a copy of the tree, installed on this machine, its
# service started as the unit does, then purged (scripts/test-package.sh).
package-check: build/xrm
	@scripts/test-package.sh
