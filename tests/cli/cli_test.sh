#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# container-fd(1) in the guest: the commands, exit codes (125 for the
# tool's own failures), strict parsing, write errors, and the listing in
# all its forms.  TAP output.  Needs root and a kernel with containers.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/cli/lib.sh
cli_skip_unless_supported

t "help" 0 "^Usage:" -- "$cfd" --help
t "help lists every command" 0 "stop .*SIGKILL" -- "$cfd" --help
t "version" 0 "^container-fd version [0-9]+\.[0-9]+" -- "$cfd" --version
t "no arguments is 125" 125 "Try 'container-fd --help'" -- "$cfd"
t "unknown command is 125" 125 "unknown command 'frobnicate'" -- "$cfd" frobnicate
t "each command has --help" 0 "stop \[--time" -- "$cfd" stop --help
t "checkpoint has --help" 0 "checkpoint <id> <dir>" -- "$cfd" checkpoint --help
t "restore has --help" 0 "restore <dir> \[--id" -- "$cfd" restore --help
t "run: exit status comes back" 7 "" -- "$cfd" run -- sh -c 'exit 7'
t "run: not found is 127" 127 "failed to execute /nonexistent" -- "$cfd" run -- /nonexistent
t "run: not executable is 126" 126 "Permission denied" -- "$cfd" run -- /etc
t "run: its own failure is 125" 125 "rootfs '/nonexistent'" -- "$cfd" run --rootfs /nonexistent -- true
t "checkpoint: its own failure is 125" 125 "expected a container ID and a directory" -- "$cfd" checkpoint
t "restore: its own failure is 125" 125 "expected one checkpoint directory" -- "$cfd" restore
# Not a PID namespace init, which would ignore its own SIGTERM.
t "run: signal re-raised" 143 "" -- sh -c "\"$cfd\" run --ns uts -- sh -c 'kill -TERM \$\$'"
t "run: init is pid 1" 0 "^1$" -- "$cfd" run --ns pid -- sh -c 'echo $$'
t "run: hostname" 0 "^box$" -- "$cfd" run --hostname box -- hostname
t "run: rootfs" 0 "busybox-rootfs" -- "$cfd" run --rootfs "$rootfs" -- /bin/cat /etc/issue
t "run: --mount tmpfs with size" 0 "^tmpfs /tmp tmpfs .*size=1024k" -- "$cfd" run --rootfs "$rootfs" --mount type=tmpfs,dst=/tmp,size=1m -- /bin/grep " /tmp " /proc/mounts
t "run: --mount read-only bind" 0 "^refused$" -- "$cfd" run --rootfs "$rootfs" --mount type=bind,src=/etc,dst=/tmp,ro -- /bin/sh -c 'test -e /tmp/debian_version && { touch /tmp/x 2>/dev/null || echo refused; }'
t "run: --mount without a rootfs stays inside" 0 "^inside$" -- sh -c "\"$cfd\" run --mount type=tmpfs,dst=/mnt -- sh -c 'grep -q \" /mnt tmpfs\" /proc/self/mounts && echo inside'; ! grep -q ' /mnt tmpfs' /proc/self/mounts"
t "run: --mount needs dst" 125 "needs type=<type> and dst=<path>" -- "$cfd" run --mount type=tmpfs -- true
t "run: --mount bind needs src" 125 "type=bind needs src=<path>" -- "$cfd" run --mount type=bind,dst=/x -- true
t "run: --mount bad option" 125 "cannot make a tmpfs filesystem: Invalid argument" -- "$cfd" run --rootfs "$rootfs" --mount type=tmpfs,dst=/tmp,bogus=1 -- true
t "run: --mount unknown type" 125 "cannot make a nofs filesystem: No such device" -- "$cfd" run --mount type=nofs,dst=/x -- true
t "run: no command" 125 "no command given" -- "$cfd" run
t "run: bad namespace" 125 "unknown namespace 'bogus'" -- "$cfd" run --ns bogus -- true
t "run: bad name" 125 "invalid container name" -- "$cfd" run --name 'a b' -- true
t "run: detach and kill-on-close" 125 "exclude each other" -- "$cfd" run -d -k -- true
t "run: detach and tty" 125 "exclude each other" -- "$cfd" run -d -t -- true

# Strict numbers: a prefix of digits is not a number.
t "exec --pid 12abc is refused" 125 "invalid PID '12abc'" -- "$cfd" exec --pid 12abc -- true
t "exec --pid -1 is refused" 125 "invalid PID '-1'" -- "$cfd" exec --pid -1 -- true
t "kill -s 9abc is refused" 125 "unknown signal '9abc'" -- "$cfd" kill -s 9abc 1
t "kill with a signal after the ID, 9abc" 125 "unknown signal '9abc'" -- "$cfd" kill 1 9abc
t "stop --time 1x is refused" 125 "invalid --time '1x'" -- "$cfd" stop --time 1x 1
t "run --grace 99999999999 is refused" 125 "out of range" -- "$cfd" run --grace 99999999999 -- true
t "run --map-users 0:1000 is refused" 125 "expected <inside>:<outside>:<count>" -- "$cfd" run --map-users 0:1000 -- true
t "run --map-users 0:x:1 is refused" 125 "invalid outside ID 'x'" -- "$cfd" run --map-users 0:x:1 -- true
t "info: not a number nor a name" 125 "no such container" -- "$cfd" info 12abc
t "info: ID out of range" 125 "out of range" -- "$cfd" info 99999999999

id=$("$cfd" run --detach --name cli-det --hostname cli-det --ns pid,uts -- sleep 300)
if [[ "$id" =~ ^[0-9]+$ ]]; then ok "run --detach prints an ID"; else nok "run --detach prints an ID" "$id"; fi
t "ls shows it" 0 "cli-det" -- "$cfd" ls
t "ls --output" 0 "^ *$id +cli-det *$" -- "$cfd" ls -o ID,NAME
t "ls: bad column" 125 "unknown column 'NOPE'" -- "$cfd" ls -o NOPE
t "ls --json: real types" 0 "^true$" -- sh -c "\"$cfd\" ls --json | jq -e '.containers[] | select(.name == \"cli-det\") | (.id|type) == \"number\" and (.parent|type) == \"number\" and (.init_pid|type) == \"number\" and (.members|type) == \"number\" and (.flags|type) == \"array\" and .state == \"running\"'"
t "ls --json: the flags as names" 0 '^\["uts","pid"\]$' -- sh -c "\"$cfd\" ls --json | jq -c '.containers[] | select(.name == \"cli-det\") | .flags'"
t "info" 0 "Name: +cli-det" -- "$cfd" info "$id"
t "info by name" 0 "ID: +$id$" -- "$cfd" info cli-det
t "state --json: real types, null where absent" 0 "^true$" -- sh -c "\"$cfd\" state --json $id | jq -e '(.id == $id) and .parent == 0 and .name == \"cli-det\" and .state == \"running\" and (.init_pid|type) == \"number\" and .exit_code == null and .wait_status == null and (.namespaces.pid|type) == \"number\" and .level == 1'"
t "state: a container without a name has null" 0 "^null$" -- sh -c "\"$cfd\" run --ns uts -- sh -c '\"$cfd\" state 0 | jq .name'"
t "info: unknown ID" 125 "no such container" -- "$cfd" info 2147483000
t "exec by ID" 0 "^inside 2$" -- "$cfd" exec "$id" -- sh -c 'echo inside $$'
t "exec by name" 3 "" -- "$cfd" exec --name cli-det -- sh -c 'exit 3'
t "exec by a name given as the ID" 0 "^cli-det$" -- "$cfd" exec cli-det -- hostname
initpid=$("$cfd" ls -o ID,INIT | awk -v id="$id" '$1 == id { print $2 }')
t "exec by pid" 0 "^cli-det$" -- "$cfd" exec --pid "$initpid" -- hostname
t "exec: no such name" 125 "container 'nope': no such container" -- "$cfd" exec --name nope -- true
t "exec: not found is 127" 127 "" -- "$cfd" exec "$id" -- /nonexistent
t "exec: no command" 125 "no command given" -- "$cfd" exec "$id"
t "exec: unprivileged is refused" 125 "permission denied" -- setpriv --reuid 65534 --regid 65534 --clear-groups "$cfd" exec "$id" -- true
t "kill: bad signal" 125 "unknown signal 'NOPE'" -- "$cfd" kill -s NOPE "$id"
t "kill: signal twice" 125 "given twice" -- "$cfd" kill -s KILL "$id" TERM

# Write errors on stdout are failures.
t "ls into a full disk is 125" 125 "write error" -- sh -c "\"$cfd\" ls >/dev/full"
t "state into a full disk is 125" 125 "write error" -- sh -c "\"$cfd\" state $id >/dev/full"
t "--help into a full disk is 125" 125 "write error" -- sh -c "\"$cfd\" --help >/dev/full"
t "run --detach into a full disk is 125" 125 "write error" -- sh -c "\"$cfd\" run -d -- true >/dev/full"

check "wait holds the container" waiter_start "$id"
t "kill" 0 "" -- "$cfd" kill -s KILL "$id"
waiter_check "wait prints the exit code of a SIGKILL" "^137$"
t "a killed container is gone" 125 "no such container|no running init" -- "$cfd" info "$id"
t "unprivileged run without a user namespace is refused" 125 "Operation not permitted" -- setpriv --reuid 65534 --regid 65534 --clear-groups "$cfd" run --ns uts -- true
t "unprivileged run with a user namespace runs as root inside" 0 "^0$" -- setpriv --reuid 65534 --regid 65534 --clear-groups "$cfd" run --ns user,uts -- id -u

# ls --tree: a container made inside another shows under it.
fifo_new
"$cfd" run --detach --name cli-outer -- sh -c "exec \"$cfd\" run --name cli-inner --ns pid -- sh -c 'echo ready >$fifo; exec sleep 300'" >/dev/null
if [ "$(fifo_wait)" = ready ]; then ok "nested container started"; else nok "nested container started"; fi
t "ls --tree draws the nesting" 0 '^(└─|`-)cli-inner' -- "$cfd" ls --tree -o NAME
t "ls --tree: inner is under outer" 0 "^cli-inner$" -- sh -c "\"$cfd\" ls --tree --json | jq -r '.containers[] | select(.name == \"cli-outer\") | .children[].name'"
t "ls --tree: inner is not a top" 0 "^$" -- sh -c "\"$cfd\" ls --tree --json | jq -r '.containers[] | select(.name == \"cli-inner\") | .name'"
t "ls without --tree lists both" 0 "cli-inner" -- "$cfd" ls -o NAME
"$cfd" kill --all -s KILL cli-outer
rm -f "$fifo"
tap_end
