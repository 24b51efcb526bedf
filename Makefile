# pingan — one binary, CLI and server. See README.md for the two commands.
#
#   make            build ./pingan
#   make demo       install what is missing, build, start the demo county on 127.0.0.1:8080
#   make test       install what is missing, build, run the whole suite (SAN=1: ASan + UBSan)
#   make run        start the server on the configured data directory
#   make install    install the binary and web assets under PREFIX (default /usr/local)
#   make clean

CC      ?= cc
PREFIX  ?= /usr/local
SAN     ?= 0

WARN    = -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wformat=2 -Wstrict-prototypes \
          -Wmissing-prototypes -Wno-missing-field-initializers
DEFS    = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
ifeq ($(SAN),1)
BUILD   = build-san
OPT     = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDSAN   = -fsanitize=address,undefined
else
BUILD   = build
OPT     = -O2 -g -D_FORTIFY_SOURCE=2
LDSAN   =
endif
CFLAGS  ?=
CFLAGS  += -std=c17 $(OPT) $(WARN) $(DEFS) -Isrc -MMD -MP
LDLIBS  = -lmicrohttpd -ljansson -lsqlite3 -lsodium -lpthread -lm
TESTLIBS = -lcurl

LIB_SRC  := $(shell find src -name '*.c' ! -name main.c | sort)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/migrations.o
SCHEMA   := $(sort $(wildcard schema/*.sql))
UNIT_SRC := $(shell find tests/unit -name '*.c' | sort) tests/harness.c
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o)
API_SRC  := $(shell find tests/api -name '*.c' | sort) tests/harness.c
API_OBJ  := $(API_SRC:%.c=$(BUILD)/%.o)
REL_SRC  := $(shell find tests/reliability -name '*.c' 2>/dev/null | sort) tests/harness.c
REL_OBJ  := $(REL_SRC:%.c=$(BUILD)/%.o)

ifeq ($(SAN),1)
BIN = $(BUILD)/pingan
else
BIN = pingan
endif

.PHONY: all deps demo test run install clean bench check-deep fuzz web

SCALE ?=

all: $(BIN) $(BUILD)/unit-tests $(BUILD)/api-tests $(BUILD)/reliability-tests

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# The list of migrations is a prerequisite too: removing or renaming a file
# must rebuild the embedded schema, which timestamps alone would not notice.
SCHEMA_LIST := $(BUILD)/gen/schema.list
$(shell mkdir -p $(BUILD)/gen && (echo '$(SCHEMA)' | cmp -s - $(SCHEMA_LIST) || echo '$(SCHEMA)' > $(SCHEMA_LIST)))

$(BUILD)/gen/migrations.c: $(SCHEMA) $(SCHEMA_LIST) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	scripts/embed-sql.sh $@ $(SCHEMA)

# The schema is one long string per migration: longer than the 4095 characters
# C guarantees, which gcc and clang handle; only this generated file is exempt.
$(BUILD)/gen/migrations.o: $(BUILD)/gen/migrations.c
	$(CC) $(CFLAGS) -Wno-overlength-strings -c $< -o $@

$(BUILD)/libpingan.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/src/main.o $(BUILD)/libpingan.a
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

$(BUILD)/unit-tests: $(UNIT_OBJ) $(BUILD)/libpingan.a
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS)

$(BUILD)/api-tests: $(API_OBJ) $(BUILD)/libpingan.a
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS) $(TESTLIBS)

$(BUILD)/reliability-tests: $(REL_OBJ) $(BUILD)/libpingan.a
	$(CC) $(LDSAN) -o $@ $^ $(LDLIBS) $(TESTLIBS)

deps:
	@scripts/install-deps.sh

web:
	@scripts/build-web.sh

demo: deps web
	$(MAKE) $(BIN)
	./$(BIN) demo --data-dir demo-data

run: $(BIN)
	./$(BIN) serve

test: deps web
	$(MAKE) all
	@PINGAN_BIN=$(abspath $(BIN)) BUILD=$(BUILD) SAN=$(SAN) tests/run.sh

# The long versions: crash/power-cut loops and fuzzing (SECONDS per target, default 600).
SECONDS ?= 600
check-deep: deps
	$(MAKE) all
	PINGAN_DEEP=1 PINGAN_BIN=$(abspath $(BIN)) $(BUILD)/reliability-tests
	BUILD=$(BUILD) tests/valgrind/check.sh
	fuzz/run.sh $(SECONDS)

fuzz:
	fuzz/run.sh $(SECONDS)

bench: deps
	$(MAKE) pingan
	bench/run.sh $(SCALE)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/pingan
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/pingan
	cp -r web data schema $(DESTDIR)$(PREFIX)/share/pingan/

clean:
	rm -rf build build-san pingan

-include $(shell find build build-san -name '*.d' 2>/dev/null)
