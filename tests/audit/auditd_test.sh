#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Containers in the log of Debian's auditd, read back with ausearch(8):
# Walsh's scenario (a user's loginuid follows what they start into a
# container), a second user entering the same container in a session of
# its own, a nested container seen with its full ID path, and rules on
# the container field added with `container-fd audit`, as auditctl -l
# shows them.  TAP output.  Runs in the guest as root; takes over audit
# while it runs, then stops its auditd and removes its rules.
set -u
cd "$(dirname "$0")/../.." || exit 1
top=$PWD
cfd=$top/build/bin/container-fd
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n $1"; }
nok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n $1"; shift; printf '#   %s\n' "$@"; }
check() { local name=$1; shift; if "$@"; then ok "$name"; else nok "$name" "failed: $*"; fi; }

if [ ! -e /proc/containers ]; then
	echo "1..0 # SKIP no /proc/containers: kernel without container objects"
	exit 0
fi
for tool in auditd auditctl ausearch; do
	command -v $tool >/dev/null || { echo "1..0 # SKIP $tool is not installed"; exit 0; }
done
if ! "$cfd" audit status >/dev/null 2>&1 && zcat /proc/config.gz 2>/dev/null | grep -qx 'CONFIG_CONTAINER_AUDIT=y'; then
	: # built in but not announced: the tests below fail, as they should
elif ! zcat /proc/config.gz 2>/dev/null | grep -qx 'CONFIG_CONTAINER_AUDIT=y'; then
	echo "1..0 # SKIP kernel without CONFIG_CONTAINER_AUDIT"
	exit 0
fi

# Our own mount namespace: users alice and bob, for ausearch -i to name.
if [ -z "${CFD_AUDIT_PRIVATE:-}" ]; then
	exec env CFD_AUDIT_PRIVATE=1 unshare --mount --propagation private "$0" "$@"
fi
work=$(mktemp -d /tmp/cfd-auditd.XXXXXX)
mount -t tmpfs -o mode=0755 tmpfs "$work"
# Whoever the machine calls 1000 and 1001 (Debian's first user) is out.
awk -F: '$3 != 1000 && $3 != 1001' /etc/passwd >"$work/passwd"
echo "alice:x:1000:1000:Alice:/nonexistent:/usr/sbin/nologin" >>"$work/passwd"
echo "bob:x:1001:1001:Bob:/nonexistent:/usr/sbin/nologin" >>"$work/passwd"
mount --bind "$work/passwd" /etc/passwd
mkdir -p "$work/shared"
watched=$work/shared/watched
: >"$watched"

. tests/lib/auditd.sh
if ! auditd_start "$work/auditd"; then
	echo "not ok 1 auditd starts"
	exit 1
fi
trap 'auditd_stop' EXIT
ok "auditd runs as the kernel's audit daemon, log on tmpfs"

marks=0
settle() { marks=$((marks + 1)); audit_mark "cfd-audit-test-mark-$marks"; }

# ev_field EVENT FIELD: the value of FIELD in the text of one event.
ev_field() { grep -o -m1 "\b$2=[^ ]*" <<<"$1" | head -n1 | cut -d= -f2-; }

# events WANTED...: the ausearch -i events (blocks between "----") with
# every WANTED string, one per line of output, records joined by " | ".
events() {
	local ev
	ausearch -i -if "$AUDIT_LOG" "${AUSEARCH_ARGS[@]}" 2>/dev/null |
		awk 'BEGIN { RS = "----\n" } { gsub(/\n/, " | "); print }' |
		while IFS= read -r ev; do
			local w all=1
			for w in "$@"; do
				grep -qF -- "$w" <<<"$ev" || { all=0; break; }
			done
			[ $all = 1 ] && echo "$ev"
		done
}

check "auditctl -w on a file the containers reach" auditctl -w "$watched" -p wa -k cfdwatch
check "container-fd audit status" "$cfd" audit status

# A pipe per container init: it touches, reports, and waits to be let go.
fifo_ready=$work/ready go_web=$work/go-web go_db=$work/go-db
mkfifo "$fifo_ready" "$go_web" "$go_db"

# 1. Walsh's scenario: alice (loginuid 1000), as root through sudo would,
#    starts a container; its init touches the watched file.
web=$(sh -c 'echo 1000 >/proc/self/loginuid && exec "$0" run --detach --name cfd-web --ns mnt,uts,ipc,pid,net -- sh -c "touch $1; echo web >$2; read x <$3"' \
	"$cfd" "$watched" "$fifo_ready" "$go_web")
read -r who <"$fifo_ready"
check "alice's container is up and touched the file" [ "$who" = web ]
settle
AUSEARCH_ARGS=(-k cfdwatch)
ev=$(events "auid=alice" "comm=touch" "UNKNOWN[1341]")
if [ "$(wc -l <<<"$ev")" = 1 ] && [ -n "$ev" ]; then
	ok "ausearch -i: alice's touch inside the container, with its container record"
else
	nok "ausearch -i: alice's touch inside the container, with its container record" "events: $ev"
	ausearch -i -if "$AUDIT_LOG" -k cfdwatch 2>&1 | tail -n 30 | sed 's/^/#   /'
fi
alice_ses=$(ev_field "$ev" contses)
check "ausearch: the container ID is the host's ($web)" [ "$(ev_field "$ev" contid)" = "$web" ]
check "ausearch: contpath of a first-level container" [ "$(ev_field "$ev" contpath)" = "/$web" ]
check "ausearch: alice's container session is set" [ -n "$alice_ses" -a "$alice_ses" != 0 ]

AUSEARCH_ARGS=(-m 1340)
ev=$(events "op=create" "contid=$web " "auid=alice")
check "ausearch -m 1340: the creation, by alice" [ -n "$ev" ]
ev=$(events "op=init" "contid=$web " "auid=alice" "contses=$alice_ses")
check "ausearch -m 1340: its init, in alice's container session" [ -n "$ev" ]

# 2. bob (loginuid 1001) enters the same container and does the same.
sh -c 'echo 1001 >/proc/self/loginuid && exec "$0" exec --name cfd-web -- touch "$1"' "$cfd" "$watched"
check "bob's container-fd exec succeeded" [ $? = 0 ]
settle
AUSEARCH_ARGS=(-k cfdwatch)
ev=$(events "auid=bob" "comm=touch" "contid=$web ")
check "ausearch -i: bob's touch, in the same container" [ -n "$ev" ]
bob_ses=$(ev_field "$ev" contses)
check "bob's container session differs from alice's ($bob_ses vs $alice_ses)" \
	[ -n "$bob_ses" -a "$bob_ses" != 0 -a "$bob_ses" != "$alice_ses" ]
AUSEARCH_ARGS=(-m 1340)
check "ausearch -m 1340: bob's entry, with his session" [ -n "$(events "op=enter" "contid=$web " "auid=bob" "contses=$bob_ses")" ]

# 3. Nothing hides: a container made inside alice's, entered from there.
"$cfd" exec --name cfd-web -- "$cfd" run --ns uts -- touch "$watched"
check "a nested container touched the file" [ $? = 0 ]
settle
AUSEARCH_ARGS=(-k cfdwatch)
ev=$(events "comm=touch" "contpath=/$web/")
check "ausearch -i: the nested member, with its full ID path" [ -n "$ev" ]
nested=$(ev_field "$ev" contid)
check "the nested container has a host ID of its own" [ -n "$nested" -a "$nested" != "$web" ]

# 4. A rule on the container field: only alice's container is logged.
db=$(sh -c 'echo 1000 >/proc/self/loginuid && exec "$0" run --detach --name cfd-db --ns uts,ipc -- sh -c "echo db >$1; read x <$2"' \
	"$cfd" "$fifo_ready" "$go_db")
read -r who <"$fifo_ready"
check "a second container is up" [ "$who" = db ]
check "auditctl -W removes the watch on every task" auditctl -W "$watched" -p wa -k cfdwatch
check "container-fd audit add: watch, limited to one container" \
	"$cfd" audit add -F "path=$watched" -F perm=wa -k cfdonly --name cfd-web
# auditctl lists a watch with any field beyond path, perm and key as an
# exit rule on every syscall, its key as "-F key=", our field by number.
check "auditctl -l shows the rule with f28=$web" \
	sh -c "auditctl -l | grep -- '-F key=cfdonly' | grep -qE -- ' f28=$web( |$)'"
"$cfd" exec --name cfd-web -- touch "$watched"
"$cfd" exec --name cfd-db -- touch "$watched"
touch "$watched"
settle
AUSEARCH_ARGS=(-k cfdonly)
all=$(events "comm=touch")
check "the rule logs the container's touch" [ -n "$(events "comm=touch" "contid=$web ")" ]
check "and not the other container's, nor the host's (one event only)" [ "$(grep -c . <<<"$all")" = 1 ]
check "container-fd audit delete removes it" "$cfd" audit delete -F "path=$watched" -F perm=wa -k cfdonly --name cfd-web
check "auditctl -l no longer lists it" sh -c "! auditctl -l | grep -q f28="

# 5. The exclude list: nothing at all from one container.
check "auditctl -w again" auditctl -w "$watched" -p wa -k cfdagain
check "container-fd audit add -l exclude" "$cfd" audit add -l exclude --name cfd-db
"$cfd" exec --name cfd-db -- touch "$watched"
"$cfd" exec --name cfd-web -- touch "$watched"
settle
AUSEARCH_ARGS=(-k cfdagain)
check "excluded: no event of that container" [ -z "$(events "contid=$db ")" ]
check "not excluded: the other's event" [ -n "$(events "contid=$web ")" ]
check "container-fd audit delete -l exclude" "$cfd" audit delete -l exclude --name cfd-db
check "auditctl -l: no container rule left" sh -c "! auditctl -l | grep -q f28="

# 6. Bad input gets a clear error and changes nothing.
# refused NAME PATTERN -- CMD...: CMD exits 1 and says PATTERN.
refused() {
	local name=$1 pat=$2 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc = 1 ] && grep -qi -- "$pat" <<<"$out"; then
		ok "$name"
	else
		nok "$name" "exit $rc, output: $out"
	fi
}
refused "audit add with no container" "name one container" -- "$cfd" audit add
refused "audit add -l task" "exit, user or exclude" -- "$cfd" audit add -l task --name cfd-web
refused "audit add on a container that does not exist" "no-such-container" -- \
	"$cfd" audit add --name no-such-container
refused "audit add with an operator-less field" "" -- "$cfd" audit add -F bogus --name cfd-web
# cfd-db shares the host's user and PID namespaces, so audit hears it out.
refused "a member may not add container rules" "permission" -- \
	"$cfd" exec --name cfd-db -- "$cfd" audit add --host
check "no rule was left behind" sh -c "! auditctl -l | grep -q f28="

echo x >"$go_web"
echo x >"$go_db"
trap - EXIT
check "auditd stops; audit is off again" auditd_stop
check "the kernel has no audit daemon now" sh -c "auditctl -s | grep -qx 'pid 0'"
umount /etc/passwd
umount "$work"
echo "1..$n"
[ $failed = 0 ]
