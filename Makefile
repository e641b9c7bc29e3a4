# SPDX-License-Identifier: GPL-2.0
#
# containerfd: kernel container objects for Linux 6.12.
#
#   make demo    build everything, boot the patched kernel, walk through it
#   make check   build everything, run every test inside the booted kernel
#   make fuzz    the fuzzer and trinity in the booted kernel [SECONDS=N]
#
# See README.md for the rest.

TOP	:= $(abspath .)
B	:= $(TOP)/build
KTREE	:= $(B)/linux
HDR	:= $(B)/hdr/include
CC	?= gcc
CFLAGS_TEST := -O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare -Wno-misleading-indentation \
	-isystem $(HDR) -I$(KTREE)/tools/testing/selftests -pthread
VM	:= tests/vm/run

KSFT_TARGETS := pidfd clone3 mount_setattr move_mount_set_group

CFD_TESTS := $(patsubst tests/selftests/containerfd/%.c,$(B)/tests/containerfd/%,\
	$(wildcard tests/selftests/containerfd/*_test.c))
# The same tests as i386 binaries, run through the compat entry points
# (IA32_EMULATION): every struct, ioctl and the syscall number of the
# 32-bit ABI.  Left out: dirfd_test (liburing has no i386 package here;
# plain path walks have no ABI of their own), stress_test (timing, not ABI)
# and keyring_test (libkeyutils has no i386 package here either; keyabi_test
# takes every KEYCTL_CONTAINER_* command and struct through compat_keyctl).
CFD_TESTS32 := $(patsubst %,$(B)/tests/containerfd32/%_test,\
	create fork lifecycle nest escape mount keyabi adopt)

LIB_OUT	:= $(B)/lib
LIB_MAJOR := $(firstword $(subst ., ,$(shell sed -n 's/^\#define CFD_VERSION_STRING[[:space:]]*"\(.*\)"/\1/p' libcontainerfd/include/containerfd.h)))
LIB	:= $(LIB_OUT)/libcontainerfd.so.$(LIB_MAJOR)
CLI	:= $(B)/bin/container-fd
CRIU_PLUGIN := $(LIB_OUT)/criu/containerfd.so
# The library and the CLI need no kernel tree: the library bundles our uapi.
CFLAGS_USER := -O2 -g -Wall -Wextra -Wno-missing-field-initializers \
	-I$(TOP)/libcontainerfd/include -I$(LIB_OUT)/include
LDLIB	:= -L$(LIB_OUT) -Wl,-rpath,$(LIB_OUT) -lcontainerfd
LIB_TESTS := $(patsubst tests/userspace/%.c,$(B)/tests/userspace/lib_%,\
	$(wildcard tests/userspace/*.c))
CLI_SRCS := $(wildcard tools/container-fd/*.c)
CLI_HDRS := $(wildcard tools/container-fd/*.h) tools/container-fd/commands.def
CLI_PKGS := mount smartcols json-c libseccomp libcap audit libkeyutils criu zlib
SAMPLES	:= $(patsubst samples/%.c,$(B)/samples/%,$(wildcard samples/*.c))

# The fuzzer builds against uapi/ itself, as libcontainerfd's header takes
# it (see tests/fuzz/fuzz.h), so it needs no kernel build; x86_64 only.
FUZZ_SRC := $(filter-out tests/fuzz/trinity-%,$(wildcard tests/fuzz/*.c))
FUZZ	:= $(B)/fuzz/cfd-fuzz
# The trinity stage: the fd holder and the open() shim it preloads.
TRINITY_FDS := $(B)/fuzz/trinity-fds
TRINITY_SHIM := $(B)/fuzz/trinity-shim.so
CFLAGS_FUZZ := -O2 -g -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
	-Wno-missing-field-initializers -Wno-sign-compare \
	-I$(TOP)/libcontainerfd/include -I$(LIB_OUT)/include -pthread
FUZZ_HDRS := tests/fuzz/fuzz.h libcontainerfd/include/containerfd.h \
	$(LIB_OUT)/include/containerfd-uapi.h

.PHONY: all deps tree kernel kernel-debug check-debug criu-soak kernel-bench headers tests upstream-selftests check \
	check-harness demo vm-shell series lint clean help lib cli userspace rootfs \
	install bench fuzz fuzz-bin

all: kernel tests upstream-selftests userspace rootfs fuzz-bin

userspace: lib cli $(LIB_TESTS) $(SAMPLES) $(B)/tests/criu/counter $(CRIU_PLUGIN)

help:
	@sed -n '3,9p' Makefile

deps:
	@tools/setup-deps

# The patched source tree, laid out once per make run: the kernels and the
# headers are built from it and none of them changes it.
tree: deps
	@tools/kbuild/assemble

# The test kernel, with the cheap checks (tools/kbuild/checks.config).
kernel: tree
	@CFD_TREE_ASSEMBLED=1 tools/kbuild/build-kernel check

# The debug kernel: KASAN, KFENCE, UBSAN, kmemleak (tools/kbuild/debug.config).
kernel-debug: tree
	@CFD_TREE_ASSEMBLED=1 tools/kbuild/build-kernel debug

# The benchmark kernel: the same patches, base.config without the checks.
kernel-bench: tree
	@CFD_TREE_ASSEMBLED=1 tools/kbuild/build-kernel bench

# Userspace headers of the patched tree: our uapi, as the kernel has it.
headers: tree
	@$(MAKE) -s -C $(KTREE) O=$(B)/hdr-obj headers_install INSTALL_HDR_PATH=$(B)/hdr

tests: headers $(CFD_TESTS) $(CFD_TESTS32)

# audit_test adds and reads audit rules through libaudit.
$(B)/tests/containerfd/audit_test: LDLIBS_TEST := -laudit

$(B)/tests/containerfd/%: tests/selftests/containerfd/%.c tests/selftests/containerfd/cfd_util.h $(HDR)/linux/container.h
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) $(CFLAGS_TEST) -o $@ $< -luring -lkeyutils $(LDLIBS_TEST)

# kselftest_harness.h compares pointers as integers: harmless in 32 bits.
$(B)/tests/containerfd32/%: tests/selftests/containerfd/%.c tests/selftests/containerfd/cfd_util.h $(HDR)/linux/container.h
	@mkdir -p $(dir $@)
	@echo "  CC -m32 $@"
	@$(CC) -m32 $(CFLAGS_TEST) -Wno-pointer-to-int-cast -o $@ $<

upstream-selftests: headers
	@echo "  KSFT $(KSFT_TARGETS)"
	@$(MAKE) -s -C $(KTREE)/tools/testing/selftests O=$(B)/ksft-obj \
		TARGETS="$(KSFT_TARGETS)" KHDR_INCLUDES="-isystem $(HDR)" \
		INSTALL_PATH=$(B)/ksft install >$(B)/ksft.log 2>&1 || \
		{ tail -n 30 $(B)/ksft.log; exit 1; }
	@# The selftests' make goes on past a failed target: insist on each.
	@for t in $(KSFT_TARGETS); do [ -d $(B)/ksft/$$t ] || \
		{ grep -B3 -m3 -i error $(B)/ksft.log; echo "selftest $$t did not build" >&2; exit 1; }; done
	@grep -q '^move_mount_set_group:' $(B)/ksft/kselftest-list.txt || \
		echo move_mount_set_group:move_mount_set_group_test >>$(B)/ksft/kselftest-list.txt

lib: $(LIB)

$(LIB): $(wildcard libcontainerfd/src/*.c libcontainerfd/include/*.h) \
		libcontainerfd/libcontainerfd.map libcontainerfd/Makefile uapi/linux/container.h
	@$(MAKE) -s -C libcontainerfd OUT=$(LIB_OUT)

cli: lib $(CLI)

$(CLI): $(CLI_SRCS) $(CLI_HDRS) $(LIB)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@# Static libcontainerfd: the CLI also runs unprivileged, from a checkout
	@# whose parent directory it may not search (an rpath there would fail).
	@$(CC) $(CFLAGS_USER) $(shell pkg-config --cflags $(CLI_PKGS)) \
		-DCFD_CRIU_PLUGIN_DIR='"$(or $(CRIU_PLUGIN_DIR),$(LIB_OUT)/criu)"' -o $@ $(CLI_SRCS) \
		$(LIB_OUT)/libcontainerfd.a $(shell pkg-config --libs $(CLI_PKGS))

$(B)/tests/userspace/lib_%: tests/userspace/%.c tests/userspace/lib_test.h $(LIB)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) $(CFLAGS_USER) -o $@ $< $(LDLIB)

# The CRIU plugin for container fds held by dumped processes.
$(CRIU_PLUGIN): tools/criu/containerfd_plugin.c $(HDR)/linux/container.h
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) -O2 -g -Wall -Wextra -fPIC -shared -isystem $(HDR) -o $@ $<

# The process the checkpoint/restore tests move (tests/criu).
$(B)/tests/criu/counter: tests/criu/counter.c $(HDR)/linux/container.h
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) -O2 -g -Wall -Wextra -isystem $(HDR) -o $@ $<

# The raw interface: our uapi headers as the patched kernel installs them.
$(B)/samples/%: samples/%.c $(HDR)/linux/container.h
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) $(CFLAGS_USER) -isystem $(HDR) -o $@ $< -lkeyutils

# A minimal root filesystem from busybox-static, for containers.
rootfs: $(B)/rootfs/bin/busybox

$(B)/rootfs/bin/busybox: /bin/busybox Makefile
	@echo "  ROOTFS $(B)/rootfs"
	@rm -rf $(B)/rootfs && mkdir -p $(B)/rootfs/bin $(B)/rootfs/etc \
		$(B)/rootfs/proc $(B)/rootfs/sys $(B)/rootfs/dev $(B)/rootfs/tmp
	@cp /bin/busybox $(B)/rootfs/bin/busybox
	@for a in $$(/bin/busybox --list); do [ $$a = busybox ] || ln -sf busybox $(B)/rootfs/bin/$$a; done
	@echo "containerfd busybox-rootfs" >$(B)/rootfs/etc/issue
	@printf 'root:x:0:0:root:/:/bin/sh\nuser:x:1000:1000:user:/tmp:/bin/sh\n' >$(B)/rootfs/etc/passwd
	@printf 'root:x:0:\ntty:x:5:\nusers:x:100:user\nuser:x:1000:\n' >$(B)/rootfs/etc/group

install: lib cli
	$(MAKE) -C libcontainerfd OUT=$(LIB_OUT) PREFIX=$(or $(PREFIX),/usr/local) install
	install -D -m 755 $(CLI) $(DESTDIR)$(or $(PREFIX),/usr/local)/bin/container-fd
	install -D -m 644 tools/container-fd/container-fd.1 \
		$(DESTDIR)$(or $(PREFIX),/usr/local)/share/man/man1/container-fd.1
	install -D -m 644 tools/container-fd/container-fd-audit.1 \
		$(DESTDIR)$(or $(PREFIX),/usr/local)/share/man/man1/container-fd-audit.1
	install -D -m 644 tools/container-fd/container-fd.bash-completion \
		$(DESTDIR)$(or $(PREFIX),/usr/local)/share/bash-completion/completions/container-fd

check: all series lint
	@tests/doc-numbers
	@tests/install-check.sh
	@tests/harness/selftest
	@# The CLI tests alone took ~12 min in the guest here (podman's ~4.5).
	@$(VM) -t 2400 -- tests/run-guest
	@# A container moved between two boots of the kernel, as between hosts.
	@tests/criu/migrate

check-harness: kernel
	@tests/harness/selftest

# 100 checkpoint/restore round trips in a row (make check runs 20).
criu-soak: all
	@$(VM) -t 3600 -- env CFD_CRIU_ROUNDS=100 tests/run-guest criu

# The suite and the harness self-test on the debug kernel (KASAN, KFENCE,
# UBSAN, kmemleak): not yet inside CI's budget under TCG, so not in check.
check-debug: all kernel-debug
	@CFD_KERNEL=$(B)/bzImage-debug tests/harness/selftest
	@$(VM) -k $(B)/bzImage-debug -t 7200 -- tests/run-guest

demo: all
	@$(VM) -t 900 -- tests/demo/walkthrough

$(B)/bench/%: tests/bench/%.c tests/selftests/containerfd/cfd_util.h $(HDR)/linux/container.h
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) $(CFLAGS_TEST) -o $@ $< -lkeyutils

$(B)/bench/audit_bench: tests/bench/audit_bench.c tests/selftests/containerfd/cfd_util.h $(HDR)/linux/container.h
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) $(CFLAGS_TEST) -o $@ $< -laudit

# Benchmarks: measured in the guest on the non-debug kernel, ratios
# printed; not part of check.
bench: kernel-bench all $(B)/bench/bench $(B)/bench/scale $(B)/bench/audit_bench
	@$(VM) -k $(B)/bzImage-bench -t 2400 -- sh -c '$(B)/bench/bench && $(B)/bench/scale && \
		$(B)/bench/audit_bench && tests/bench/criu_bench'

fuzz-bin: $(FUZZ) $(TRINITY_FDS) $(TRINITY_SHIM)

$(FUZZ): $(FUZZ_SRC) $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) $(CFLAGS_FUZZ) -o $@ $(FUZZ_SRC)

# uapi/linux/container.h as the library installs it; no need of the rest.
$(LIB_OUT)/include/containerfd-uapi.h: uapi/linux/container.h
	@$(MAKE) -s -C libcontainerfd OUT=$(LIB_OUT) $@

$(TRINITY_FDS): tests/fuzz/trinity-fds.c tests/fuzz/objects.c tests/fuzz/child.c \
		tests/fuzz/stats.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) $(CFLAGS_FUZZ) -o $@ $(filter %.c,$^)

$(TRINITY_SHIM): tests/fuzz/trinity-shim.c
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) -O2 -g -Wall -Wextra -Wno-unused-parameter -shared -fPIC -o $@ $< -ldl

# make fuzz SECONDS=N: the project fuzzer, then trinity, in the guest.
SECONDS ?= 600
fuzz: kernel fuzz-bin
	@$(VM) -t $$(($(SECONDS) + 900)) -- tests/fuzz/run-stages $(SECONDS)

vm-shell: kernel
	@$(VM) -i

series: kernel
	@tools/kbuild/series

# No new W=1 or sparse warnings in any C file the series adds or touches.
lint: kernel
	@tools/kbuild/lint

clean:
	rm -rf $(B)/kobj $(B)/kobj-bench $(B)/tests $(B)/ksft $(B)/ksft-obj $(B)/hdr $(B)/hdr-obj \
		$(B)/bzImage $(B)/bzImage-bench $(B)/lint $(B)/fuzz $(B)/vm
