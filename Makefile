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
CFLAGS_TEST := -O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	-isystem $(HDR) -I$(KTREE)/tools/testing/selftests -pthread
VM	:= tests/vm/run

KSFT_TARGETS := pidfd clone3 mount_setattr move_mount_set_group

CFD_TESTS := $(patsubst tests/selftests/containerfd/%.c,$(B)/tests/containerfd/%,\
	$(wildcard tests/selftests/containerfd/*_test.c))

.PHONY: all deps kernel headers tests upstream-selftests check check-harness \
	demo vm-shell series clean help

all: kernel tests upstream-selftests

help:
	@sed -n '3,8p' Makefile

deps:
	@tools/setup-deps

kernel: deps
	@tools/kbuild/build-kernel

# Userspace headers of the patched tree: our uapi, as the kernel has it.
headers: kernel
	@$(MAKE) -s -C $(KTREE) O=$(KOBJ) headers_install INSTALL_HDR_PATH=$(B)/hdr

tests: headers $(CFD_TESTS)

$(B)/tests/containerfd/%: tests/selftests/containerfd/%.c tests/selftests/containerfd/cfd_util.h $(HDR)/linux/container.h
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@$(CC) $(CFLAGS_TEST) -o $@ $<

upstream-selftests: headers
	@echo "  KSFT $(KSFT_TARGETS)"
	@$(MAKE) -s -C $(KTREE)/tools/testing/selftests O=$(B)/ksft-obj \
		TARGETS="$(KSFT_TARGETS)" KHDR_INCLUDES="-isystem $(HDR)" \
		INSTALL_PATH=$(B)/ksft install >$(B)/ksft.log 2>&1 || \
		{ tail -n 30 $(B)/ksft.log; exit 1; }

check: all
	@tests/harness/selftest
	@$(VM) -t 1500 -- tests/run-guest

check-harness: kernel
	@tests/harness/selftest

demo: all
	@$(VM) -t 900 -- tests/demo/walkthrough

vm-shell: kernel
	@$(VM) -i

series: kernel
	@tools/kbuild/series

clean:
	rm -rf $(B)/kobj $(B)/tests $(B)/ksft $(B)/ksft-obj $(B)/hdr $(B)/bzImage
