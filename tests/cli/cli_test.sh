#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# container-fd(1) in the guest: every subcommand, exit codes, bad input.
# TAP output.  Needs root and a kernel with container objects.
set -u
cd "$(dirname "$0")/../.." || exit 1
cfd=${CFD_CLI:-build/bin/container-fd}
rootfs=${CFD_ROOTFS:-build/rootfs}
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n $1"; }
nok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"; shift; printf '#   %s\n' "$@"; }

# t NAME WANT_RC PATTERN -- CMD...: run CMD, compare exit code and output.
t() {
	local name=$1 want=$2 pat=$3 out rc
	shift 4
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" = "$want" ] && grep -Eq -- "$pat" <<<"$out"; then
		ok "$name"
	else
		nok "$name" "exit $rc (wanted $want), output:" "$out"
	fi
}

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root"
	exit 0
fi
if ! "$cfd" ls >/dev/null 2>&1; then
	echo "1..0 # SKIP container-fd ls fails: $("$cfd" ls 2>&1 | head -1)"
	exit 0
fi

t "help" 0 "^Usage:" -- "$cfd" --help
t "version" 0 "^container-fd [0-9]" -- "$cfd" --version
t "no arguments" 1 "Try 'container-fd --help'" -- "$cfd"
t "unknown command" 1 "unknown command 'frobnicate'" -- "$cfd" frobnicate
t "run: exit status comes back" 7 "" -- "$cfd" run -- sh -c 'exit 7'
t "run: not found is 127" 127 "failed to execute /nonexistent" -- "$cfd" run -- /nonexistent
t "run: not executable is 126" 126 "Permission denied" -- "$cfd" run -- /etc
# Not a PID namespace init, which would ignore its own SIGTERM.
t "run: signal re-raised" 143 "" -- sh -c "\"$cfd\" run --ns uts -- sh -c 'kill -TERM \$\$'"
t "run: init is pid 1" 0 "^1$" -- "$cfd" run --ns pid -- sh -c 'echo $$'
t "run: hostname" 0 "^box$" -- "$cfd" run --hostname box -- hostname
t "run: rootfs" 0 "busybox-rootfs" -- "$cfd" run --rootfs "$rootfs" -- /bin/cat /etc/issue
rid=$("$cfd" run --detach --rootfs "$rootfs" -- /bin/sleep 300)
t "exec sees the rootfs and the container's /proc" 0 "^busybox-rootfs 1$" -- "$cfd" exec "$rid" -- /bin/sh -c 'echo "$(cat /etc/issue | cut -d" " -f2) $(ls /proc | grep -c "^1$")"'
"$cfd" kill -s KILL "$rid" >/dev/null 2>&1
t "run: rootfs has /dev nodes" 0 "^c$" -- "$cfd" run --rootfs "$rootfs" -- /bin/sh -c 'echo x >/dev/null && stat -c %A /dev/zero | cut -c1'
t "run: --mount tmpfs with size" 0 "^tmpfs /tmp tmpfs .*size=1024k" -- "$cfd" run --rootfs "$rootfs" --mount type=tmpfs,dst=/tmp,size=1m -- /bin/grep " /tmp " /proc/mounts
t "run: --mount read-only bind" 0 "^refused$" -- "$cfd" run --rootfs "$rootfs" --mount type=bind,src=/etc,dst=/sys,ro -- /bin/sh -c 'test -e /sys/debian_version && { touch /sys/x 2>/dev/null || echo refused; }'
t "run: --mount without a rootfs stays inside" 0 "^inside$" -- sh -c "\"$cfd\" run --mount type=tmpfs,dst=/mnt -- sh -c 'grep -q \" /mnt tmpfs\" /proc/self/mounts && echo inside'; ! grep -q ' /mnt tmpfs' /proc/self/mounts"
t "run: --mount needs dst" 1 "needs type=<type> and dst=<path>" -- "$cfd" run --mount type=tmpfs -- true
t "run: --mount bind needs src" 1 "type=bind needs src=<path>" -- "$cfd" run --mount type=bind,dst=/x -- true
t "run: --mount bad option" 1 "cannot make a tmpfs filesystem: Invalid argument" -- "$cfd" run --rootfs "$rootfs" --mount type=tmpfs,dst=/tmp,bogus=1 -- true
t "run: --mount unknown type" 1 "cannot make a nofs filesystem: No such device" -- "$cfd" run --mount type=nofs,dst=/x -- true
t "run: no command" 1 "no command given" -- "$cfd" run
t "run: bad namespace" 1 "unknown namespace 'bogus'" -- "$cfd" run --ns bogus -- true
t "run: bad name" 1 "invalid container name" -- "$cfd" run --name 'a b' -- true
t "run: missing rootfs" 1 "rootfs '/nonexistent'" -- "$cfd" run --rootfs /nonexistent -- true
t "run: detach and kill-on-close" 1 "exclude each other" -- "$cfd" run -d -k -- true

id=$("$cfd" run --detach --name cli-det --hostname cli-det --ns pid,uts -- sleep 300)
if [[ "$id" =~ ^[0-9]+$ ]]; then ok "run --detach prints an ID"; else nok "run --detach prints an ID" "$id"; fi
t "ls shows it" 0 "cli-det" -- "$cfd" ls
t "ls --output" 0 "^ *$id +cli-det *$" -- "$cfd" ls -o ID,NAME
t "ls --json parses" 0 "\"name\": *\"cli-det\"" -- sh -c "\"$cfd\" ls --json | python3 -m json.tool"
t "ls: bad column" 1 "unknown column 'NOPE'" -- "$cfd" ls -o NOPE
t "info" 0 "Name: +cli-det" -- "$cfd" info "$id"
t "info: not a number" 1 "invalid container ID 'abc'" -- "$cfd" info abc
t "info: unknown ID" 1 "no such container" -- "$cfd" info 2147483000
t "exec by ID" 0 "^inside 2$" -- "$cfd" exec "$id" -- sh -c 'echo inside $$'
t "exec by name" 3 "" -- "$cfd" exec --name cli-det -- sh -c 'exit 3'
initpid=$("$cfd" ls -o ID,INIT | awk -v id="$id" '$1 == id { print $2 }')
t "exec by pid" 0 "^cli-det$" -- "$cfd" exec --pid "$initpid" -- hostname
t "exec: no such name" 1 "container 'nope': no such container" -- "$cfd" exec --name nope -- true
t "exec: not found is 127" 127 "" -- "$cfd" exec "$id" -- /nonexistent
t "exec: no command" 1 "no command given" -- "$cfd" exec "$id"
t "exec: unprivileged is refused" 1 "permission denied" -- setpriv --reuid 65534 --regid 65534 --clear-groups "$cfd" exec "$id" -- true
t "kill: bad signal" 1 "unknown signal 'NOPE'" -- "$cfd" kill -s NOPE "$id"
t "kill" 0 "" -- "$cfd" kill -s KILL "$id"
# Its init's exit is what makes it dead: wait for that, not for a while.
tests/lib/wait-exit "$initpid" 30
t "killed container is dead" 0 "dead|^$" -- sh -c "\"$cfd\" ls -o ID,STATE | awk '\$1 == $id { print \$2 }'"
t "unprivileged run is refused" 1 "Operation not permitted" -- setpriv --reuid 65534 --regid 65534 --clear-groups "$cfd" run --ns uts -- true
t "unprivileged run with a user namespace" 0 "^ok$" -- setpriv --reuid 65534 --regid 65534 --clear-groups "$cfd" run --ns user,uts -- echo ok

echo "1..$n"
[ $failed = 0 ]
