#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The real client: Debian's podman and conmon, in the guest, with
# container-fd as the OCI runtime (storage on tmpfs, vfs driver, no
# network, no cgroups, no seccomp filter: what container-fd does not do
# yet is configured away here, never ignored by it).  The busybox root
# is imported as an image; then run --rm with its exit code, run -d,
# exec, ps, logs, stop, rm, and each container in /proc/containers.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/cli/lib.sh
cli_skip_unless_supported
for p in podman conmon; do
	command -v $p >/dev/null || { echo "1..0 # SKIP $p is not installed"; exit 0; }
done
tmp=$(mktemp -d /tmp/cfd-podman.XXXXXX)
P() { podman --root "$tmp/root" --runroot "$tmp/run" --storage-driver vfs "$@"; }
trap 'P rm -a -f -t 0 >/dev/null 2>&1; rm -rf "$tmp"' EXIT

# podman 4.3 names the no-cgroups list runtime_supports_nocgroup.
cat >"$tmp/containers.conf" <<EOF
[containers]
default_sysctls = []
netns = "none"
cgroups = "disabled"
seccomp_profile = "unconfined"
# podman's default set without MKNOD: container-fd denies devices only so.
default_capabilities = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL",
	"NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "container-fd"
runtime_supports_nocgroup = ["crun", "container-fd"]
runtime_supports_json = ["crun", "runc", "container-fd"]
[engine.runtimes]
container-fd = ["$cfd"]
EOF
export CONTAINERS_CONF=$tmp/containers.conf
tar -C "$rootfs" -cf "$tmp/rootfs.tar" .
t "podman import of the busybox root" 0 "^sha256:" -- P import "$tmp/rootfs.tar" localhost/busybox

t "podman run --rm: output and exit code" 3 "^hello from podman$" -- \
	P run --rm localhost/busybox sh -c 'echo hello from podman; exit 3'
t "podman run --rm: capabilities as podman asked, no_new_privs unset" 0 "^00000000800405fb 0$" -- \
	P run --rm localhost/busybox sh -c 'echo $(grep CapEff /proc/self/status | cut -f2) $(grep NoNewPrivs /proc/self/status | cut -f2)'
t "podman run --rm: its files, hostname and pid 1" 0 "^[0-9a-f]{12} 1 podman$" -- \
	P run --rm localhost/busybox sh -c 'echo $(cat /etc/hostname) $$ $(cat /run/.containerenv >/dev/null && echo podman)'
t "podman run --rm: command not found" 127 "" -- P run --rm localhost/busybox no-such-command

# An interactive terminal: conmon's console socket gets the pty's master.
t "podman run -it: a shell on the container's pty, its exit code" 5 "hi-from-the-tty" -- \
	tests/cli/pty_drive.py 'expect:# ' 'send:echo hi-from-the-tty $(tty)\n' 'expect:^hi-from-the-tty /dev/pts/0' \
	'send:exit 5\n' -- podman --root "$tmp/root" --runroot "$tmp/run" --storage-driver vfs \
	run -it --rm localhost/busybox sh

id=$(P run -d --name cfd-d1 localhost/busybox sh -c 'echo started; trap "exit 0" TERM; while :; do sleep 1; done' 2>&1)
check "podman run -d" test ${#id} = 64
pid=$(P inspect -f '{{.State.Pid}}' cfd-d1)
check "the container is in /proc/containers, its init the podman container's" \
	test "$("$cfd" ls -o INIT,STATE | awk -v p="$pid" '$1 == p { print $2 }')" = running
t "podman exec: output and exit code" 4 "^exec-ok 1$" -- \
	P exec cfd-d1 sh -c 'echo exec-ok $(grep -c . /proc/1/cmdline); exit 4'
t "podman ps" 0 "cfd-d1" -- P ps
t "podman logs" 0 "^started$" -- P logs cfd-d1
t "podman stop: init handles SIGTERM" 0 "cfd-d1" -- P stop -t 10 cfd-d1
check "podman stop: the container is gone from /proc/containers" \
	test -z "$("$cfd" ls -o INIT | awk -v p="$pid" '$1 == p')"
t "podman inspect: exit code 0" 0 "^0$" -- P inspect -f '{{.State.ExitCode}}' cfd-d1
t "podman rm" 0 "cfd-d1" -- P rm cfd-d1
t "nothing left in the runtime's state" 0 "^$" -- sh -c "ls /run/container-fd 2>/dev/null"
tap_end
