# mie — build, test and benchmark.  See README.md.
#
#   make            build libcommon and every tool into bin/
#   make check      install what is missing, build, run every test
#   make demo       install what is missing, build, run the main job on examples/
#   make deps       install the Debian packages that are missing (apt-get)
#   make bench      benchmarks against peers (not part of check)
#   make SANITIZE=1 check   the same under ASan+UBSan (objects in build/san)
#   make NOSIMD=1 check     the same without the SSE2 fast paths (build/nosimd)
#   make install PREFIX=/usr/local DESTDIR=
#   make uninstall PREFIX=/usr/local DESTDIR=   removes what install put

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := jansson libxml-2.0 libarchive libutf8proc sqlite3 libcrypto zlib

ifeq ($(SANITIZE),1)
BUILD   ?= build/san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
OPT     := -O1 -g
else
BUILD   ?= build/rel
SANFLAGS :=
OPT     := -O2 -g
endif
# The portable paths of core/mie_simd.h, tested on their own (.ci/run).
ifeq ($(NOSIMD),1)
BUILD   := $(BUILD:build/rel=build/nosimd)
BUILD   := $(BUILD:build/san=build/san-nosimd)
SIMDFLAGS := -DMIE_NO_SIMD
endif
BIN     := $(BUILD)/bin
# mie-import builds records on several threads, each a tree of many small
# short-lived objects: gperftools' tcmalloc serves them faster than glibc's
# malloc (bench/README.md).  Only there: the other tools run on one thread,
# and mie-dedup's large tables keep a lower peak with glibc.  Not under the
# sanitizers or the fuzzer, which bring their own allocator.
ifneq ($(SANITIZE),1)
MALLOC_LIBS = $(shell pkg-config --libs libtcmalloc_minimal 2>/dev/null)
endif
$(BIN)/mie-import: TOOL_LIBS = $(MALLOC_LIBS)

# includes name their layer ("core/mie_buf.h"): tests/cases/layers.sh checks the order
CPPFLAGS += -D_GNU_SOURCE -Ilibcommon
CFLAGS  += -std=c11 -pthread $(OPT) -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter $(SANFLAGS)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lm
LDFLAGS += -pthread $(SANFLAGS)

LIBSRC  := $(wildcard libcommon/*/*.c)
LIBOBJ  := $(patsubst %.c,$(BUILD)/%.o,$(LIBSRC))
TOOLSRC := $(wildcard tools/*.c)
TOOLS   := $(patsubst tools/%.c,$(BIN)/%,$(TOOLSRC))
TESTSRC := $(wildcard tests/unit/test_*.c)
TESTOBJ := $(patsubst %.c,$(BUILD)/%.o,$(TESTSRC))
LIBA    := $(BUILD)/libmie.a

.PHONY: all bin check demo deps test-deps bench install uninstall clean fuzz fuzz-build fuzz-check format-check
.DELETE_ON_ERROR:

all: $(TOOLS) bin

# bin/ always points at the last build, so examples and man pages can say
# bin/mie-…: phony, so that a plain `make` after `make SANITIZE=1` points it
# back at build/rel/bin.
bin: $(TOOLS)
	@ln -sfn $(BIN) bin

$(BUILD)/%.o: %.c $(wildcard libcommon/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(SIMDFLAGS) $(PKG_CFLAGS) $(CFLAGS) -c $< -o $@

$(LIBA): $(LIBOBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BIN)/%: $(BUILD)/tools/%.o $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $< $(LIBA) $(PKG_LIBS) $(TOOL_LIBS) -o $@

# Unit tests: every TEST(name) in tests/unit/test_*.c is collected into one runner.
$(BUILD)/tests/unit/list.h: $(TESTSRC)
	@mkdir -p $(dir $@)
	sed -n 's/^TEST(\([a-z0-9_]*\)).*/X(\1)/p' $(TESTSRC) > $@

$(BUILD)/tests/unit/main.o: tests/unit/main.c $(BUILD)/tests/unit/list.h tests/unit/mie_test.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(SIMDFLAGS) -I$(BUILD)/tests/unit $(PKG_CFLAGS) $(CFLAGS) -c $< -o $@

$(BIN)/unit-tests: $(BUILD)/tests/unit/main.o $(TESTOBJ) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(PKG_LIBS) -o $@

deps:
	@sh tests/deps.sh build

test-deps:
	@sh tests/deps.sh test

check: test-deps
	$(MAKE) all $(BIN)/unit-tests
	BIN=$(CURDIR)/$(BIN) sh tests/run.sh

demo: deps
	$(MAKE) all
	BIN=$(CURDIR)/$(BIN) sh examples/demo.sh

bench: test-deps
	$(MAKE) all
	BIN=$(CURDIR)/$(BIN) sh bench/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/mie/schemas
	install -m 755 $(TOOLS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(wildcard man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/
	install -d $(DESTDIR)$(PREFIX)/share/man/man7
	install -m 644 $(wildcard man/*.7) $(DESTDIR)$(PREFIX)/share/man/man7/
	$(if $(wildcard schemas/*.xsd schemas/*.json),install -m 644 $(wildcard schemas/*.xsd schemas/*.json) schemas/README.md $(DESTDIR)$(PREFIX)/share/mie/schemas/)

# What install put in place, and the folders of mie's own left empty.
uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(notdir $(TOOLS))) \
	      $(addprefix $(DESTDIR)$(PREFIX)/share/man/man1/,$(notdir $(wildcard man/*.1))) \
	      $(addprefix $(DESTDIR)$(PREFIX)/share/man/man7/,$(notdir $(wildcard man/*.7))) \
	      $(addprefix $(DESTDIR)$(PREFIX)/share/mie/schemas/,$(notdir $(wildcard schemas/*.xsd schemas/*.json)) README.md)
	-rmdir $(DESTDIR)$(PREFIX)/share/mie/schemas $(DESTDIR)$(PREFIX)/share/mie 2>/dev/null

format-check:
	clang-format --dry-run -Werror $(LIBSRC) $(TOOLSRC) $(wildcard libcommon/*/*.h)

clean:
	rm -rf build bin

# ---- fuzzing (tests/fuzz/README.md) ----
FUZZ_CC    ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
FUZZ_OBJ := $(patsubst %.c,build/fuzz/%.o,$(LIBSRC))

build/fuzz/%.o: %.c $(wildcard libcommon/*/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(PKG_CFLAGS) -std=c11 -Wall $(FUZZ_FLAGS) -c $< -o $@

build/fuzz/bin/%: tests/fuzz/fuzz_%.c $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(PKG_CFLAGS) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined $^ $(PKG_LIBS) -o $@

.SECONDARY: $(FUZZ_OBJ)
fuzz-build: $(addprefix build/fuzz/bin/,$(FUZZ_TARGETS))

fuzz: fuzz-build
	for t in $(FUZZ_TARGETS); do mkdir -p build/fuzz/corpus/$$t; \
	  build/fuzz/bin/$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	    -max_len=65536 build/fuzz/corpus/$$t tests/fuzz/seeds/$$t || exit 1; done

# replays seeds and kept crashes: part of `make check` when clang is there
fuzz-check:
	@if command -v $(FUZZ_CC) >/dev/null; then $(MAKE) --no-print-directory fuzz-build && \
	  for t in $(FUZZ_TARGETS); do build/fuzz/bin/$$t tests/fuzz/seeds/$$t/* \
	    $$(ls tests/fuzz/crashes/$$t/* 2>/dev/null) >build/fuzz/$$t.log 2>&1 \
	    && echo "PASS fuzz-replay $$t" || { echo "FAIL fuzz-replay $$t"; tail -20 build/fuzz/$$t.log; }; done; \
	else echo "fuzz-check: no $(FUZZ_CC), replay skipped"; fi
