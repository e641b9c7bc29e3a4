#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# container-fd(1) and signals, in the guest: a foreground run or exec
# forwards SIGTERM, SIGINT, SIGHUP and SIGQUIT; one the process does not
# handle is followed by SIGKILL after the grace period; a handled one is
# not; the container dies with container-fd (run) and an exec'd command
# with it (exec); stop, kill, wait and ps.  Ordering by fifos and pidfds.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/cli/lib.sh
cli_skip_unless_supported
out=$(mktemp /tmp/cfd-sig.XXXXXX)
fifo_new
trap 'rm -f "$out" "$fifo" /tmp/cfd-sig-pid' EXIT

# A shell that says it is ready, then waits in a way a trap interrupts.
loop='while :; do sleep 100 & wait $!; done'

# bg CMD...: CMD in the background, output to $out; $bg its PID.
bg() { "$@" >"$out" 2>&1 & bg=$!; }
# bg_wait: wait for it; its exit status in $rc.
bg_wait() { wait "$bg"; rc=$?; }

for sig in TERM INT HUP QUIT; do
	bg "$cfd" run --ns pid,uts -- sh -c "trap 'echo got-$sig; exit 3' $sig; echo ready >$fifo; $loop"
	fifo_wait >/dev/null
	kill -"$sig" "$bg"
	bg_wait
	if [ "$rc" = 3 ] && grep -q "^got-$sig$" "$out"; then
		ok "run forwards SIG$sig to init"
	else
		nok "run forwards SIG$sig to init" "exit $rc" "$(cat "$out")"
	fi
done

# The init of a PID namespace ignores default-disposition signals from outside.
bg "$cfd" run --grace 1 --ns pid,uts -- sh -c "echo ready >$fifo; exec sleep 300"
fifo_wait >/dev/null
kill -TERM "$bg"
bg_wait
if [ "$rc" = 137 ] && grep -q "did not stop within 1 s; killing the container" "$out"; then
	ok "an init that ignores SIGTERM gets SIGKILL after the grace period"
else
	nok "an init that ignores SIGTERM gets SIGKILL after the grace period" "exit $rc" "$(cat "$out")"
fi

# Ignored outright (SIG_IGN), in no PID namespace.
bg "$cfd" run --grace 1 --ns uts -- sh -c "trap '' HUP; echo ready >$fifo; $loop"
fifo_wait >/dev/null
kill -HUP "$bg"
bg_wait
if [ "$rc" = 137 ]; then ok "SIGHUP ignored by init: SIGKILL follows"; else nok "SIGHUP ignored by init: SIGKILL follows" "exit $rc" "$(cat "$out")"; fi

# Handled and survived (a reload): no SIGKILL; a later SIGTERM ends it.
bg "$cfd" run --grace 1 --ns pid,uts -- sh -c "trap 'echo reloaded >$fifo' HUP; trap 'exit 5' TERM; echo ready >$fifo; $loop"
fifo_wait >/dev/null
kill -HUP "$bg"
t "a handled SIGHUP reaches init" 0 "^reloaded$" -- fifo_wait
check "no SIGKILL follows a handled signal (3 s, grace 1 s)" not pid_exits "$bg" 3
kill -TERM "$bg"
bg_wait
check "then SIGTERM ends it with its own status" [ "$rc" = 5 ]

# When container-fd goes, a foreground container goes with it.
bg "$cfd" run --name cli-koc --ns pid,uts -- sh -c "echo ready >$fifo; exec sleep 300"
fifo_wait >/dev/null
id=$(id_of cli-koc)
check "wait holds the container" waiter_start "$id"
kill -KILL "$bg"
wait "$bg" 2>/dev/null
waiter_check "SIGKILL to container-fd run kills the container" "^137$"
t "it is gone" 125 "no such container" -- "$cfd" info cli-koc

# exec: the command is forwarded signals, and dies with container-fd.
id=$("$cfd" run -d --name cli-exec --ns pid,uts -- sleep 300)
bg "$cfd" exec cli-exec -- sh -c "trap 'exit 9' TERM; echo ready >$fifo; $loop"
fifo_wait >/dev/null
kill -TERM "$bg"
bg_wait
check "exec forwards SIGTERM to its command" [ "$rc" = 9 ]
bg "$cfd" exec --pid-file /tmp/cfd-sig-pid cli-exec -- sh -c "echo ready >$fifo; exec sleep 300"
fifo_wait >/dev/null
xpid=$(cat /tmp/cfd-sig-pid)
kill -KILL "$bg"
wait "$bg" 2>/dev/null
check "SIGKILL to container-fd exec kills its command" pid_exits "$xpid" 20
t "and leaves the container running" 0 "State: +running" -- "$cfd" info cli-exec
xpid=$("$cfd" exec --detach cli-exec -- sleep 300)
check "exec --detach prints the PID" kill -0 "$xpid"
check "exec --detach: the command outlives container-fd exec" not pid_exits "$xpid" 1

t "stop --time 0 cli-exec" 0 "" -- "$cfd" stop --time 0 cli-exec
check "its members died with it" pid_exits "$xpid" 20

# ps: init and a member, by PID and as seen inside.
id=$("$cfd" run -d --name cli-ps --ns pid,uts -- sleep 300)
xpid=$("$cfd" exec --detach cli-ps -- sleep 200)
initpid=$("$cfd" ls -o ID,INIT | awk -v id="$id" '$1 == id { print $2 }')
t "ps lists init" 0 "^ *$initpid +1 +0 +sleep 300$" -- "$cfd" ps cli-ps
t "ps: the member is PID 2 inside" 0 "^ *$xpid +2 +0 +sleep 200$" -- "$cfd" ps cli-ps
t "ps --format json: PIDs as numbers" 0 "^\[$initpid,$xpid\]$" -- sh -c "\"$cfd\" ps --format json cli-ps | jq -c ."
t "ps --json: objects" 0 "^true$" -- sh -c "\"$cfd\" ps --json cli-ps | jq -e 'length == 2 and .[0].nspid == 1 and .[0].command == \"sleep 300\" and (.[1].uid|type) == \"number\"'"
"$cfd" stop --time 0 cli-ps

# kill: init only by default; --all reaches the member too.
id=$("$cfd" run -d --name cli-kill --ns uts -- sh -c "trap 'echo init-TERM >$fifo' TERM; echo ready >$fifo; $loop")
fifo_wait >/dev/null
xpid=$("$cfd" exec --detach cli-kill -- sleep 300)
t "kill (SIGTERM) reaches init" 0 "" -- "$cfd" kill cli-kill
t "init got it" 0 "^init-TERM$" -- fifo_wait
check "the member did not (2 s)" not pid_exits "$xpid" 2
t "kill --all" 0 "" -- "$cfd" kill --all cli-kill TERM
check "the member got it too" pid_exits "$xpid" 20
t "init got it again" 0 "^init-TERM$" -- fifo_wait

# stop: SIGTERM, then SIGKILL after --time.
check "wait holds the container" waiter_start "$id"
t "stop: init handles SIGTERM... but does not exit: SIGKILL after 1 s" 0 "" -- "$cfd" stop --time 1 cli-kill
waiter_check "wait says SIGKILL" "^137$"
id=$("$cfd" run -d --name cli-stop --ns pid,uts -- sh -c "trap 'exit 4' TERM; $loop")
check "wait holds the container" waiter_start "$id"
t "stop: init exits on SIGTERM" 0 "" -- "$cfd" stop --time 60 cli-stop
waiter_check "wait says 4" "^4$"
id=$("$cfd" run -d --name cli-stop0 --ns pid,uts -- sleep 300)
check "wait holds the container" waiter_start "$id"
t "stop --time 0: SIGKILL at once" 0 "" -- "$cfd" stop --time 0 cli-stop0
waiter_check "wait says 137" "^137$"
t "stop: no such container" 125 "no such container" -- "$cfd" stop cli-stop0
tap_end
