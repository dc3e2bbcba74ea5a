# salesfocus - build, test, install.  `make V=1` shows the commands.
#
#   make            build ./salesfocus
#   make demo       install dependencies, build, run on the bundled samples
#   make check      every test (unit + end to end)
#   make check-asan the suite under AddressSanitizer + UBSan
#   make valgrind   the demo under valgrind; make tsan: under ThreadSanitizer
#   make bench      performance on generated data (see README)
#   make fuzz       run the libFuzzer harnesses for FUZZ_SECONDS each
#   make install    PREFIX=/usr/local DESTDIR= (binary, presets, templates, man
#                   page, bash completion, docs)

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
SHAREDIR?= $(PREFIX)/share/salesfocus
MANDIR  ?= $(PREFIX)/share/man
DOCDIR  ?= $(PREFIX)/share/doc/salesfocus
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
VERSION := 0.1.0

CC      ?= cc
PKGS    := inih cairo pangocairo xlsxwriter zlib libisal expat minizip sqlite3 gsl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
STD     := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wformat=2 \
           -Wvla -Wwrite-strings -Wmissing-prototypes -Wno-format-nonliteral
OPT     ?= -O2 -g
BUILD   ?= build
SAN     ?=
DEFS    := -DSF_VERSION='"$(VERSION)"' -DSF_SHAREDIR='"$(SHAREDIR)"'
FINAL_CFLAGS  = $(STD) $(WARN) $(OPT) $(SAN) $(DEFS) -Iinclude $(PKG_CFLAGS) $(CFLAGS)
FINAL_LDFLAGS = $(SAN) $(LDFLAGS)
LIBS    := $(PKG_LIBS) -lcsv -lpthread -lm $(LDLIBS)

ifeq ($(V),1)
Q :=
else
Q := @
endif

# One folder per layer (docs/architecture.md); objects mirror the folders.
LAYERS  := base config data input analysis history draw output cli
LIB_SRC := $(filter-out src/cli/main.c,$(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c)))
LIB_OBJ := $(LIB_SRC:src/%.c=$(BUILD)/%.o)
HEADERS := $(wildcard include/*/*.h include/*/*.def)
TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all check check-unit check-e2e check-asan deps demo install clean bench fuzz valgrind tsan tools

all: salesfocus tools

salesfocus: $(BUILD)/salesfocus
	$(Q)cp $< $@

$(BUILD)/salesfocus: $(BUILD)/cli/main.o $(LIB_OBJ)
	@echo "  LD   $@"
	$(Q)$(CC) $(FINAL_LDFLAGS) -o $@ $^ $(LIBS)

# inih's and minizip's headers have no version macro: --version takes them
# from pkg-config.
$(BUILD)/cli/version.o: DEFS += -DSF_INIH_VERSION='"$(shell pkg-config --modversion inih 2>/dev/null)"' \
                               -DSF_MINIZIP_VERSION='"$(shell pkg-config --modversion minizip 2>/dev/null)"'

$(BUILD)/%.o: src/%.c $(HEADERS) | $(BUILD)
	@echo "  CC   $<"
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(FINAL_CFLAGS) -c -o $@ $<

$(BUILD):
	$(Q)mkdir -p $(BUILD)/tests

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ) $(wildcard tests/unit/*.h) | $(BUILD)
	@echo "  CC   $<"
	$(Q)$(CC) $(FINAL_CFLAGS) $(shell pkg-config --cflags cmocka) -o $@ $< $(LIB_OBJ) \
	    $(FINAL_LDFLAGS) $(LIBS) $(shell pkg-config --libs cmocka)

# The sample generator (tools/gen.c); plain C, no dependencies. The book
# drawn from the expected-value models (tools/clvsim.c) uses GSL's random
# numbers. What both use is in tools/genlib.h.
tools: $(BUILD)/sfgen $(BUILD)/sfclvsim
$(BUILD)/sfgen: tools/gen.c tools/genlib.h | $(BUILD)
	@echo "  CC   $<"
	$(Q)$(CC) $(STD) $(WARN) $(OPT) $(SAN) -o $@ $< -lm
$(BUILD)/sfclvsim: tools/clvsim.c tools/genlib.h | $(BUILD)
	@echo "  CC   $<"
	$(Q)$(CC) $(STD) $(WARN) $(OPT) $(SAN) $(shell pkg-config --cflags gsl) -o $@ $< \
	    $(shell pkg-config --libs gsl) -lm

# Every test: cmocka unit tests, then the end-to-end scripts. The runner
# prints one "N passed, N failed" line and fails if any test failed.
check: deps all $(TEST_BIN)
	$(Q)BUILD=$(BUILD) ASAN_OPTIONS=$(ASAN_OPTIONS) LSAN_OPTIONS=$(LSAN_OPTIONS) tests/run.sh

check-asan:
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan OPT='-O1 -g -fno-omit-frame-pointer' \
	    SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' \
	    check ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp

# Debian build and test packages. Idempotent: dpkg is asked first, apt only
# when something is missing.
DEB_PKGS := build-essential pkg-config libcsv-dev libinih-dev libcairo2-dev \
            libpango1.0-dev libxlsxwriter-dev zlib1g-dev libisal-dev libexpat1-dev libminizip-dev libgsl-dev \
            libcmocka-dev fonts-dejavu-core \
            poppler-utils qpdf python3 python3-openpyxl msmtp python3-aiosmtpd \
            groff-base man-db bsdextrautils time libsqlite3-dev sqlite3 strace
deps:
	$(Q)tools/deps.sh $(DEB_PKGS) $(EXTRA_DEB_PKGS)

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tools/demo.sh

# The man page and the example units name /usr/local paths; installed, they
# name the folders they were installed to.
INSTALL_PATHS := -e 's|/usr/local/bin|$(BINDIR)|g' -e 's|/usr/local/share/salesfocus|$(SHAREDIR)|g' \
                 -e 's|/usr/local/share/doc/salesfocus|$(DOCDIR)|g' -e 's|/usr/local|$(PREFIX)|g'

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(BUILD)/salesfocus $(DESTDIR)$(BINDIR)/salesfocus
	cp -R config templates $(DESTDIR)$(SHAREDIR)/
	sed -i $(INSTALL_PATHS) $(DESTDIR)$(SHAREDIR)/config/salesfocus.service $(DESTDIR)$(SHAREDIR)/config/cron.example
	sed $(INSTALL_PATHS) man/salesfocus.1 >$(DESTDIR)$(MANDIR)/man1/salesfocus.1
	chmod 644 $(DESTDIR)$(MANDIR)/man1/salesfocus.1
	install -m 644 README.md CHANGELOG.md LICENSE $(DESTDIR)$(DOCDIR)/
	install -m 644 docs/*.md $(DESTDIR)$(DOCDIR)/docs/
	install -m 644 contrib/bash-completion/salesfocus $(DESTDIR)$(BASHCOMPDIR)/salesfocus

bench: all
	$(Q)tools/bench.sh

fuzz:
	$(Q)tools/fuzz.sh $(FUZZ_SECONDS)

valgrind: all
	$(Q)tools/valgrind.sh

tsan:
	$(Q)tools/tsan.sh

clean:
	rm -rf build build-asan build-fuzz build-tsan salesfocus out tests/tmp
