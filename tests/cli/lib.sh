# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared by the container-fd CLI tests: TAP helpers, the binary, the
# busybox root, and handshakes that wait for a condition (never a fixed
# delay).  Source it from the repository's top directory.

cfd=${CFD_CLI:-$PWD/build/bin/container-fd}
rootfs=${CFD_ROOTFS:-$PWD/build/rootfs}
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n $1"; }
nok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"; shift; printf '#   %s\n' "$@"; }
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2"; }
# check NAME COND...: a test that is a shell condition.
not() { ! "$@"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else nok "$name" "failed: $*"; fi; }

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

# pid_exits PID SECS: true once PID has exited (pidfd poll), false after SECS.
pid_exits() {
	python3 - "$1" "$2" <<'PY'
import os, select, sys
try:
    fd = os.pidfd_open(int(sys.argv[1]))
except ProcessLookupError:
    sys.exit(0)
sys.exit(0 if select.select([fd], [], [], float(sys.argv[2]))[0] else 1)
PY
}

# until_true SECS CMD...: CMD is run until it succeeds, for at most SECS.
# For states no event announces (a process having opened an fd).
until_true() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ $SECONDS -lt $end ] || return 1
		sleep 0.02
	done
}

# id_of NAME: the ID of the running container called NAME.
id_of() {
	"$cfd" ls -o ID,STATE,NAME | awk -v n="$1" '$2 == "running" && $3 == n { print $1 }'
}

# A fifo for a container to say it is ready: fifo_new; ...; fifo_wait.
fifo_new() {
	fifo=$(mktemp -u /tmp/cfd-cli.XXXXXX)
	mkfifo "$fifo"
}
fifo_wait() {
	local line
	read -r -t "${1:-60}" line <>"$fifo" && echo "$line"
}

tap_end() {
	echo "1..$n"
	[ $failed = 0 ]
}

cli_skip_unless_supported() {
	if [ ! -e /proc/containers ]; then
		echo "1..0 # SKIP no /proc/containers: not a containerfd kernel"
		exit 0
	fi
	if ! "$cfd" ls >/dev/null 2>&1; then
		echo "1..0 # SKIP container-fd ls fails: $("$cfd" ls 2>&1 | head -1)"
		exit 0
	fi
}

# holds_container PID: PID has a container fd open.
holds_container() {
	local l
	for l in /proc/"$1"/fd/*; do
		[ "$(readlink "$l" 2>/dev/null)" = "anon_inode:[container]" ] && return 0
	done
	return 1
}

# waiter_start ID: "container-fd wait ID" in the background, once it holds
# the container's fd (so a death after this is seen).
waiter_start() {
	waiter_out=$(mktemp /tmp/cfd-wait.XXXXXX)
	"$cfd" wait "$1" >"$waiter_out" 2>&1 &
	waiter_pid=$!
	until_true 30 holds_container "$waiter_pid"
}
# waiter_check NAME PATTERN: the waiter exited 0 and printed PATTERN.  In
# this shell, not in a $(...) one: only the shell that started the waiter
# may wait for it.
waiter_check() {
	local rc text
	wait "$waiter_pid"
	rc=$?
	text=$(cat "$waiter_out")
	rm -f "$waiter_out"
	if [ "$rc" = 0 ] && grep -Eq -- "$2" <<<"$text"; then
		ok "$1"
	else
		nok "$1" "container-fd wait: exit $rc, output:" "$text"
	fi
}
