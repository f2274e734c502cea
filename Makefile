# SPDX-License-Identifier: GPL-3.0-or-later
# ts: one flat Makefile for libts, the tools, their tests, man pages and helper scripts.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/ts
DESTDIR ?=
CC      ?= cc
CFLAGS  ?= -O2 -g
VERSION := 0.1.0

WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes
ifeq ($(CI),true)
WARN += -Werror
endif
# Evaluated lazily, so they see packages that `make deps` installed moments ago.
GSL_CFLAGS   = $(shell pkg-config --cflags gsl 2>/dev/null)
GSL_LIBS     = $(shell pkg-config --libs gsl 2>/dev/null || echo -lgsl -lgslcblas)
CAIRO_CFLAGS = $(shell pkg-config --cflags cairo 2>/dev/null)
CAIRO_LIBS   = $(shell pkg-config --libs cairo 2>/dev/null || echo -lcairo)
CMOCKA_LIBS  = $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# TS_DATADIR_DEFAULT: where installed tools look for share/ts when neither
# $$TS_DATADIR nor ../share/ts beside the program is there (lib/forecast/calendar.h).
ALL_CPPFLAGS = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DTS_VERSION='"$(VERSION)"' \
               -DTS_DATADIR_DEFAULT='"$(DATADIR)"' \
               -Ilib $(GSL_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS   = $(WARN) $(CFLAGS) -pthread
LIBS         = $(GSL_LIBS) -lm -pthread

# BUILD is where objects go; `make san` reuses every rule with another BUILD.
BUILD   ?= build
# lib/ in layers, one folder each (README, Layout): libts.a holds every layer
# but cli, the only code that prints or exits, which is libtscli.a.
LIB_HDR := $(wildcard lib/*/*.h)
LIB_SRC := $(filter-out lib/cli/%,$(wildcard lib/*/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_SRC := $(wildcard lib/cli/*.c)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
LIBS_TS := $(BUILD)/libtscli.a $(BUILD)/libts.a
CMD_SRC := $(wildcard cmd/*.c)
TOOLS   := $(CMD_SRC:cmd/%.c=%)
BINS    := $(TOOLS:%=$(BUILD)/bin/%)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNITS   := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
MANS    := $(wildcard man/*.1 man/*.7)
# Country holiday calendars (scripts/gen-calendars), installed as data.
CALENDARS := $(wildcard lib/calendars/*.csv) lib/calendars/README
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all deps check check-layers check-unit check-cli check-man check-fuzz san demo bench fuzz install uninstall clean
.DEFAULT_GOAL := all

all: $(BINS)

deps:
	@scripts/install-deps

$(BUILD)/lib/%.o: lib/%.c $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/libts.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/libtscli.a: $(CLI_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

# The cairo backend alone needs cairo's headers; ts-plot-csv alone links it.
$(BUILD)/lib/plot/plot_cairo.o: ALL_CPPFLAGS += $(CAIRO_CFLAGS)
# ts-plot-csv alone links cairo.
$(BUILD)/bin/ts-plot-csv: EXTRA_CFLAGS = $(CAIRO_CFLAGS)
$(BUILD)/bin/ts-plot-csv: EXTRA_LIBS = $(CAIRO_LIBS)
$(BUILD)/bin/%: cmd/%.c $(LIBS_TS) $(LIB_HDR)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(EXTRA_CFLAGS) $(ALL_CFLAGS) -o $@ $< $(LIBS_TS) $(EXTRA_LIBS) $(LIBS) $(LDFLAGS)

# These tests include tests/unit/failalloc.h, the counting allocator that
# fails the Nth allocation: the linker routes every malloc of theirs and of
# libts through it.
FAILALLOC_TESTS := test_mem test_frame test_holidays test_ranges
$(FAILALLOC_TESTS:%=$(BUILD)/tests/%): TEST_LDFLAGS = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=free

$(BUILD)/tests/test_%: tests/unit/test_%.c $(wildcard tests/unit/*.h) $(LIBS_TS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) -Itests/unit $(CAIRO_CFLAGS) $(ALL_CFLAGS) -o $@ $< $(LIBS_TS) $(CMOCKA_LIBS) $(CAIRO_LIBS) $(LIBS) $(TEST_LDFLAGS) $(LDFLAGS)

# check = deps, then the layer lint, unit + CLI + man lint, then the same suites under ASan/UBSan,
# then a few seconds of each fuzz target (one line and on when clang's
# libFuzzer is missing).
check: deps
	@$(MAKE) --no-print-directory check-layers check-unit check-cli check-man
	@$(MAKE) --no-print-directory san
	@$(MAKE) --no-print-directory check-fuzz

# The architecture lint (README, Layout): layers, cycles, cmd/ as glue.
check-layers:
	@scripts/lint-layers

check-unit: $(UNITS)
	@scripts/run-unit $(UNITS)

# The tests read the country calendars from the source tree.
check-cli: $(BINS)
	@TS_BIN=$(CURDIR)/$(BUILD)/bin TS_DATADIR=$(CURDIR)/lib scripts/run-cli tests/cli

check-man:
	@for m in $(MANS); do \
	  out=$$(groff -mandoc -ww -z $$m 2>&1); \
	  if [ -n "$$out" ]; then echo "$$out"; echo "man lint: $$m failed"; exit 1; fi; \
	done; scripts/check-man-quotes $(MANS) || { echo "man lint: quotes do not pair up"; exit 1; }; \
	echo "man lint: $(words $(MANS)) pages, 0 warnings, quotes paired"

san:
	@$(MAKE) --no-print-directory BUILD=build/san CFLAGS="$(SAN_FLAGS)" check-unit check-cli

demo: deps
	@$(MAKE) --no-print-directory all
	@TS_BIN=$(CURDIR)/$(BUILD)/bin scripts/demo

bench: all
	@TS_BIN=$(CURDIR)/$(BUILD)/bin scripts/bench

# FUZZ_SECONDS per target: 60 for `make fuzz`, 3 in check.
check-fuzz:
	@MAKE="$(MAKE)" scripts/fuzz --quick

fuzz:
	@MAKE="$(MAKE)" scripts/fuzz

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 \
	  $(DESTDIR)$(DATADIR)/calendars
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 $(CALENDARS) $(DESTDIR)$(DATADIR)/calendars
	for m in $(MANS); do \
	  case $$m in *.1) install -m 644 $$m $(DESTDIR)$(MANDIR)/man1 ;; \
	              *.7) install -m 644 $$m $(DESTDIR)$(MANDIR)/man7 ;; esac; \
	done

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(CALENDARS:lib/calendars/%=$(DESTDIR)$(DATADIR)/calendars/%)
	-rmdir $(DESTDIR)$(DATADIR)/calendars $(DESTDIR)$(DATADIR) 2>/dev/null
	for m in $(MANS); do \
	  case $$m in *.1) rm -f $(DESTDIR)$(MANDIR)/man1/$${m#man/} ;; \
	              *.7) rm -f $(DESTDIR)$(MANDIR)/man7/$${m#man/} ;; esac; \
	done

clean:
	rm -rf build
