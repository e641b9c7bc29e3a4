#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# container-fd(1): what the started process gets, in the guest: --env,
# --clear-env, --cwd, --user, --pid-file, user namespaces with
# --map-root-user and --map-users/--map-groups, a terminal of the
# container's own devpts instance (-t, driven through a real pty), and
# what --rootfs gives (/dev/pts, ptmx, /dev/shm, the fd links, a read-only
# /sys, loopback up).
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/cli/lib.sh
cli_skip_unless_supported
drive=tests/cli/pty_drive.py
tmp=$(mktemp -d /tmp/cfd-proc.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# --env, --clear-env
t "the environment is passed on" 0 "^bar$" -- env FOO=bar "$cfd" run --ns uts -- sh -c 'echo $FOO'
t "--clear-env --env: only what is given" 0 "^A=1$" -- sh -c "\"$cfd\" run --ns uts --clear-env --env A=1 -- /usr/bin/env | tr '\n' ' ' | sed 's/ \$//'"
t "--clear-env alone: a PATH" 0 "^PATH=/usr/local/sbin:[^ ]*$" -- sh -c "\"$cfd\" run --ns uts --clear-env -- /usr/bin/env"
t "--env NAME passes ours on" 0 "^FOO=ours$" -- env FOO=ours "$cfd" run --ns uts --clear-env --env FOO -- /usr/bin/env
t "--env: the last one wins" 0 "^A=2$" -- "$cfd" run --ns uts --clear-env --env A=1 --env A=2 -- /usr/bin/env
t "--env without a name is refused" 125 "needs a name" -- "$cfd" run --env =x -- true

# --cwd
t "--cwd" 0 "^/tmp$" -- "$cfd" run --ns uts --cwd /tmp -- pwd
t "--cwd missing is the tool's failure" 125 "cannot change to the directory /nonexistent: No such file" -- "$cfd" run --ns uts --cwd /nonexistent -- pwd
t "--cwd must be absolute" 125 "must be an absolute path" -- "$cfd" run --cwd tmp -- pwd
t "exec --cwd" 0 "^/etc$" -- "$cfd" run --ns uts -- sh -c "\"$cfd\" exec --cwd /etc 0 -- pwd"

# --user, looked up in the container's /etc/passwd and /etc/group
t "--user NAME: its groups from the container's files" 0 "^uid=1000\(user\) gid=1000\(user\) groups=100\(users\)" -- "$cfd" run --rootfs "$rootfs" --user user -- id
t "--user UID:GID" 0 "^1234 55$" -- "$cfd" run --rootfs "$rootfs" --user 1234:55 -- sh -c 'echo $(id -u) $(id -g)'
t "--user NAME:GROUP" 0 "^1000 100$" -- "$cfd" run --rootfs "$rootfs" --user user:users -- sh -c 'echo $(id -u) $(id -g)'
t "--user: an unknown name" 125 "no user 'nosuch' in the container's /etc/passwd" -- "$cfd" run --rootfs "$rootfs" --user nosuch -- id
t "--user: an unknown group" 125 "no group 'nosuch' in the container's /etc/group" -- "$cfd" run --rootfs "$rootfs" --user user:nosuch -- id
t "--user 12abc is refused" 125 "no user '12abc'" -- "$cfd" run --rootfs "$rootfs" --user 12abc -- id
t "--user: the working directory is checked as the user" 125 "cannot change to the directory /root" -- "$cfd" run --ns uts --user 1000 --cwd /root -- pwd

# --pid-file
id=$("$cfd" run -d --name cli-pidf --ns pid,uts --pid-file "$tmp/pid" -- sleep 300)
initpid=$("$cfd" ls -o ID,INIT | awk -v id="$id" '$1 == id { print $2 }')
check "--pid-file has init's PID" [ "$(cat "$tmp/pid")" = "$initpid" ]
t "exec --user into it" 0 "^4321$" -- "$cfd" exec --user 4321 cli-pidf -- id -u
"$cfd" stop --time 0 cli-pidf

# User namespaces: the maps are written before init is born.
t "--map-root-user" 0 "^ *0 +0 +1$" -- "$cfd" run --map-root-user --ns user,uts -- sh -c 'test "$(id -u)" = 0 && cat /proc/self/uid_map'
t "--map-root-user unprivileged" 0 "^0 0 65534 1 deny$" -- setpriv --reuid 65534 --regid 65534 --clear-groups "$cfd" run --map-root-user --ns user,uts -- sh -c 'echo $(id -u) $(cat /proc/self/uid_map) $(cat /proc/self/setgroups)'
t "--map-users/--map-groups" 0 "^0 0 100000 65536 100000 65536$" -- "$cfd" run --map-users 0:100000:65536 --map-groups 0:100000:65536 --ns user,uts -- sh -c 'echo $(id -u) $(id -g) $(cat /proc/self/uid_map | awk "{print \$2, \$3}") $(cat /proc/self/gid_map | awk "{print \$2, \$3}")'
id=$("$cfd" run -d --name cli-map --map-users 0:100000:65536 --map-groups 0:100000:65536 --ns user,uts,pid -- sleep 300)
initpid=$("$cfd" ls -o ID,INIT | awk -v id="$id" '$1 == id { print $2 }')
t "root inside is 100000 outside" 0 "^100000 100000$" -- stat -c '%u %g' /proc/"$initpid"
t "several ranges" 0 "^ +0 +100000 +1000 +1000 +200000 +10 ?$" -- sh -c "\"$cfd\" run --map-users 0:100000:1000 --map-users 1000:200000:10 --map-groups 0:100000:1 --ns user,uts -- cat /proc/self/uid_map | tr -s ' \n' ' '"
"$cfd" stop --time 0 cli-map
t "--map-users unprivileged needs /etc/subuid" 125 "newuidmap failed" -- setpriv --reuid 65534 --regid 65534 --clear-groups "$cfd" run --map-users 0:100000:10 --ns user,uts -- true
t "--map-root-user excludes --map-users" 125 "exclude each other" -- "$cfd" run --map-root-user --map-users 0:1:1 -- true

# Without -t the process has no controlling terminal (it entered from outside).
t "no -t: no controlling terminal" 0 "^0$" -- "$drive" 'expect:.' -- "$cfd" run --ns uts -- sh -c "awk '{print \$7}' /proc/self/stat"

# -t: a pty of the container's own devpts, through a real terminal.
t "-t: the container's own pty, its controlling terminal" 0 "^/dev/pts/0 0 ptmx ctty$" -- \
	"$drive" 'expect:ctty' -- "$cfd" run -t --rootfs "$rootfs" -- /bin/sh -c 'echo $(tty) $(ls /dev/pts) $(test "$(cut -d" " -f7 /proc/self/stat)" != 0 && echo ctty)'
t "-t: an interactive shell, exit status through the terminal" 6 "hello-from-the-pty" -- \
	"$drive" 'expect:# ' 'send:echo hello-from-the-pty\n' 'expect:^hello-from-the-pty' 'send:exit 6\n' -- "$cfd" run -t --rootfs "$rootfs" -- /bin/sh
t "-t: the window size, and SIGWINCH" 0 "40 120" -- \
	"$drive" --size 30x100 'expect:# ' 'send:stty size\n' 'expect:^30 100' 'resize:40x120' 'send:stty size\n' 'expect:^40 120' 'send:exit\n' -- "$cfd" run -t --rootfs "$rootfs" -- /bin/sh
t "-t: ^C goes to the container's foreground job, not to container-fd" 0 "still-here" -- \
	"$drive" 'expect:# ' 'send:sh -c "echo started; sleep 300"\n' 'expect:^started' 'send:\x03' 'expect:# ' 'send:echo still-here\n' 'expect:^still-here' 'send:exit\n' -- "$cfd" run -t --rootfs "$rootfs" -- /bin/sh
t "-t with stdin a pipe: input goes through, then end of file" 3 "^/dev/pts/0" -- \
	sh -c "printf 'tty\nexit 3\n' | \"$cfd\" run -t --rootfs \"$rootfs\" -- /bin/sh"
t "-t without a mount namespace of its own: the host's ptys" 0 "^/dev/pts/[0-9]+" -- \
	"$drive" 'expect:pts' -- "$cfd" run -t --ns uts -- tty
t "-t with a copy of our mount namespace: a devpts of its own" 0 "^0 ptmx$" -- \
	"$drive" 'expect:ptmx' -- "$cfd" run -t --ns mnt,uts,pid -- sh -c 'echo $(ls /dev/pts)'
id=$("$cfd" run -d --name cli-tty --rootfs "$rootfs" -- /bin/sleep 300)
t "exec -t: a pty of the container's devpts" 4 "^/dev/pts/0" -- \
	"$drive" 'expect:# ' 'send:tty\n' 'expect:pts' 'send:exit 4\n' -- "$cfd" exec -t cli-tty -- /bin/sh
"$cfd" stop --time 0 cli-tty

# --rootfs: /dev/pts + ptmx, /dev/shm, the links, a read-only /sys, lo up.
r() { "$cfd" run --rootfs "$rootfs" -- /bin/sh -c "$1"; }
t "rootfs: devpts on /dev/pts" 0 "^devpts /dev/pts devpts rw,nosuid,noexec" -- r 'grep " /dev/pts " /proc/mounts'
t "rootfs: /dev/ptmx is its ptmx" 0 "^pts/ptmx c$" -- r 'echo $(readlink /dev/ptmx) $(stat -c %A /dev/pts/ptmx | cut -c1)'
t "rootfs: /dev/shm, writable" 0 "^tmpfs /dev/shm tmpfs rw,nosuid,nodev,noexec.* written$" -- r 'echo $(grep " /dev/shm " /proc/mounts) $(echo x >/dev/shm/a && echo written)'
t "rootfs: the fd links" 0 "^/proc/self/fd /proc/self/fd/0 /proc/self/fd/1 /proc/self/fd/2$" -- r 'echo $(for l in /dev/fd /dev/stdin /dev/stdout /dev/stderr; do readlink $l; done)'
t "rootfs: a read-only /sys of its own network" 0 "^sysfs /sys sysfs ro,.* lo( (sit|tunl|ip6tnl|ip6gre|gre|gretap|erspan)0)* refused$" -- r 'echo $(grep " /sys " /proc/mounts) $(ls /sys/class/net) $(touch /sys/x 2>/dev/null || echo refused)'
t "rootfs: loopback up" 0 "^0x9 1 packets transmitted, 1 packets received" -- r 'echo $(cat /sys/class/net/lo/flags) $(ping -c 1 -W 5 127.0.0.1 | grep transmitted)'
t "no rootfs, new net: loopback up too" 0 "UP" -- "$cfd" run --ns net,uts -- ip -o link show lo
tap_end
