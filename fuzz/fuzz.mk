# Builds the libFuzzer targets into fuzz/out/ (run from the repository root;
# fuzz/run.sh does). Every src/**/*.c except main.c is compiled once with
# coverage instrumentation and ASan + UBSan into one archive, then each
# fuzz/*.c target is linked against it with the support files.
#
#   make -f fuzz/fuzz.mk            all targets
#   make -f fuzz/fuzz.mk fuzz/out/csv

FUZZ_CC ?= clang
OUT     := fuzz/out
SANS    := -fsanitize=address,undefined -fno-sanitize-recover=undefined
WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wformat=2 -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-missing-field-initializers
DEFS    := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CFLAGS_FUZZ := -std=c17 -g -O1 -fno-omit-frame-pointer $(SANS) $(DEFS) -Isrc -Ifuzz -MMD -MP
LDLIBS  := -lmicrohttpd -ljansson -lsqlite3 -lsodium -lpthread -lm

LIB_SRC  := $(shell find src -name '*.c' ! -path src/main.c | sort)
LIB_OBJ  := $(LIB_SRC:%.c=$(OUT)/obj/%.o) $(OUT)/obj/gen/migrations.o
SUP_SRC  := $(sort $(wildcard fuzz/support/*.c))
SUP_OBJ  := $(SUP_SRC:%.c=$(OUT)/obj/%.o)
TARGETS  := $(patsubst fuzz/%.c,%,$(sort $(wildcard fuzz/*.c)))
BINS     := $(TARGETS:%=$(OUT)/%)
SCHEMA   := $(sort $(wildcard schema/*.sql))

TGT_OBJ  := $(TARGETS:%=$(OUT)/obj/fuzz/%.o)

.PHONY: all objects
all: $(BINS)
# Naming every object keeps make from treating them as intermediate files it
# may delete or skip: a missing or stale object is always rebuilt.
objects: $(TGT_OBJ) $(SUP_OBJ) $(LIB_OBJ)

# The library: instrumented for coverage, but without libFuzzer's main.
$(OUT)/obj/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CFLAGS_FUZZ) -fsanitize=fuzzer-no-link -w -c $< -o $@

$(OUT)/gen/migrations.c: $(SCHEMA) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	scripts/embed-sql.sh $@ $(SCHEMA)

$(OUT)/obj/gen/migrations.o: $(OUT)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CFLAGS_FUZZ) -w -c $< -o $@

$(OUT)/libpingan-fuzz.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# Targets and support code: held to the project's warning flags. The support
# code is not instrumented for coverage: its checks walk whole databases and
# replies, and their branches are no news about the input.
$(OUT)/obj/fuzz/support/%.o: fuzz/support/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CFLAGS_FUZZ) $(WARN) -c $< -o $@

$(OUT)/obj/fuzz/%.o: fuzz/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CFLAGS_FUZZ) $(WARN) -fsanitize=fuzzer-no-link -c $< -o $@

$(OUT)/%: $(OUT)/obj/fuzz/%.o $(SUP_OBJ) $(OUT)/libpingan-fuzz.a
	$(FUZZ_CC) -fsanitize=fuzzer $(SANS) -o $@ $^ $(LDLIBS)

-include $(shell find $(OUT)/obj -name '*.d' 2>/dev/null)
