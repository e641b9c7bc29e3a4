# SPDX-License-Identifier: GPL-2.0
#
# containerfd: kernel container objects for Linux 6.12.
#
#   make demo    build everything, boot the patched kernel, walk through it
#   make check   build everything, run every test inside the booted kernel
#
# See README.md for the rest.

TOP	:= $(abspath .)
B	:= $(TOP)/build
KTREE	:= $(B)/linux
KOBJ	:= $(B)/kobj
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
# plain path walks have no ABI of their own) and stress_test (timing, not ABI).
CFD_TESTS32 := $(patsubst %,$(B)/tests/containerfd32/%_test,\
	create fork lifecycle nest escape mount adopt)

LIB_OUT	:= $(B)/lib
LIB	:= $(LIB_OUT)/libcontainerfd.so.1
CLI	:= $(B)/bin/container-fd
CRIU_PLUGIN := $(LIB_OUT)/criu/containerfd.so
CFLAGS_USER := -O2 -g -Wall -Wextra -Wno-missing-field-initializers \
	-I$(TOP)/libcontainerfd/include -isystem $(HDR)
LDLIB	:= -L$(LIB_OUT) -Wl,-rpath,$(LIB_OUT) -lcontainerfd
LIB_TESTS := $(patsubst tests/userspace/%.c,$(B)/tests/userspace/lib_%,\
	$(wildcard tests/userspace/*.c))
SAMPLES	:= $(patsubst samples/%.c,$(B)/samples/%,$(wildcard samples/*.c))

.PHONY: all deps kernel headers tests upstream-selftests check check-harness \
	demo vm-shell series lint clean help lib cli userspace rootfs install bench

all: kernel tests upstream-selftests userspace rootfs

userspace: lib cli $(LIB_TESTS) $(SAMPLES) $(B)/tests/criu/counter $(CRIU_PLUGIN)

help:
	@sed -n '3,8p' Makefile

deps:
	@tools/setup-deps

kernel: deps
	@tools/kbuild/build-kernel

# Userspace headers of the patched tree: our uapi, as the kernel has it.
headers: kernel
	@$(MAKE) -s -C $(KTREE) O=$(KOBJ) headers_install INSTALL_HDR_PATH=$(B)/hdr

tests: headers $(CFD_TESTS) $(CFD_TESTS32)

$(B)/tests/containerfd/%: tests/selftests/containerfd/%.c tests/selftests/containerfd/cfd_util.h $(HDR)/linux/container.h
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) $(CFLAGS_TEST) -o $@ $< -luring

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

lib: headers
	@cd libcontainerfd && ./configure --uapi=$(HDR) >/dev/null
	@$(MAKE) -s -C libcontainerfd OUT=$(LIB_OUT)

cli: lib $(CLI)

CLI_SRCS := tools/container-fd/container-fd.c tools/container-fd/checkpoint.c \
	tools/container-fd/restore.c tools/container-fd/cr_meta.c

$(CLI): $(CLI_SRCS) tools/container-fd/checkpoint.h $(LIB)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@# Static libcontainerfd: the CLI also runs unprivileged, from a checkout
	@# whose parent directory it may not search (an rpath there would fail).
	@$(CC) $(CFLAGS_USER) $(shell pkg-config --cflags mount json-c) \
		-DCFD_CRIU_PLUGIN_DIR='"$(or $(CRIU_PLUGIN_DIR),$(LIB_OUT)/criu)"' -o $@ $(CLI_SRCS) \
		$(LIB_OUT)/libcontainerfd.a -lsmartcols $(shell pkg-config --libs mount json-c) \
		-lcriu -lz

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

$(B)/samples/%: samples/%.c $(HDR)/linux/container.h
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) $(CFLAGS_USER) -o $@ $<

# A minimal root filesystem from busybox-static, for containers.
rootfs: $(B)/rootfs/bin/busybox

$(B)/rootfs/bin/busybox: /bin/busybox
	@echo "  ROOTFS $(B)/rootfs"
	@rm -rf $(B)/rootfs && mkdir -p $(B)/rootfs/bin $(B)/rootfs/etc \
		$(B)/rootfs/proc $(B)/rootfs/sys $(B)/rootfs/dev $(B)/rootfs/tmp
	@cp /bin/busybox $(B)/rootfs/bin/busybox
	@for a in $$(/bin/busybox --list); do [ $$a = busybox ] || ln -sf busybox $(B)/rootfs/bin/$$a; done
	@echo "containerfd busybox-rootfs" >$(B)/rootfs/etc/issue
	@echo "root:x:0:0:root:/:/bin/sh" >$(B)/rootfs/etc/passwd

install: lib cli
	$(MAKE) -C libcontainerfd OUT=$(LIB_OUT) PREFIX=$(or $(PREFIX),/usr/local) install
	install -D -m 755 $(CLI) $(DESTDIR)$(or $(PREFIX),/usr/local)/bin/container-fd
	install -D -m 644 tools/container-fd/container-fd.1 \
		$(DESTDIR)$(or $(PREFIX),/usr/local)/share/man/man1/container-fd.1
	install -D -m 644 tools/container-fd/container-fd.bash-completion \
		$(DESTDIR)$(or $(PREFIX),/usr/local)/share/bash-completion/completions/container-fd

check: all series lint
	@tests/doc-numbers
	@tests/install-check.sh
	@tests/harness/selftest
	@$(VM) -t 1500 -- tests/run-guest

check-harness: kernel
	@tests/harness/selftest

demo: all
	@$(VM) -t 900 -- tests/demo/walkthrough

$(B)/bench/%: tests/bench/%.c tests/selftests/containerfd/cfd_util.h $(HDR)/linux/container.h
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) $(CFLAGS_TEST) -o $@ $<

# Benchmarks: measured in the guest, ratios printed; not part of check.
bench: all $(B)/bench/bench $(B)/bench/scale
	@$(VM) -t 1800 -- sh -c '$(B)/bench/bench && $(B)/bench/scale' 

vm-shell: kernel
	@$(VM) -i

series: kernel
	@tools/kbuild/series

# No new W=1 or sparse warnings in any C file the series adds or touches.
lint: kernel
	@tools/kbuild/lint

clean:
	rm -rf $(B)/kobj $(B)/tests $(B)/ksft $(B)/ksft-obj $(B)/hdr $(B)/bzImage $(B)/lint
