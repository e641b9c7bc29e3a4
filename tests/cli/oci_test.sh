#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# container-fd as an OCI runtime, in the guest, driven as runc and crun
# are: create (the process made, waiting before exec), state, start,
# kill, delete, with a bundle whose config.json asks for what `crun spec`
# asks for (capabilities, rlimits, noNewPrivileges, masked and read-only
# paths, a read-only root, /dev, devpts, mqueue, sysfs, cgroup), and each
# thing it cannot do refused by the name of the field.
set -u
cd "$(dirname "$0")/../.." || exit 1
. tests/cli/lib.sh
cli_skip_unless_supported
tmp=$(mktemp -d /tmp/cfd-oci.XXXXXX)
root=$tmp/state
oci() { "$cfd" --root "$root" "$@"; }
trap 'for d in "$root"/*/; do [ -d "$d" ] && oci delete --force "$(basename "$d")"; done 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bundle" "$tmp/out"
# A bundle of its own: the root inside it, as engines lay them out.
cp -a "$rootfs" "$tmp/bundle/rootfs" && mkdir "$tmp/bundle/rootfs/out"
chmod 1777 "$tmp/out"	# exec --process writes there as user 1000
# A device node shipped in the image: "deny all devices" must hold for it.
mknod "$tmp/bundle/rootfs/nullnode" c 1 3

# config ARGS_JSON [EXTRA_TOP_LEVEL_JSON]: a crun-spec-like config.json.
config() {
	cat >"$tmp/bundle/config.json" <<EOF
{
	"ociVersion": "1.0.2",
	"process": {
		"terminal": false,
		"user": { "uid": 0, "gid": 0, "additionalGids": [ 100 ], "umask": 18 },
		"args": $1,
		"env": [ "PATH=/bin", "WHO=oci" ],
		"cwd": "/tmp",
		"capabilities": {
			"bounding": [ "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE" ],
			"effective": [ "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE" ],
			"inheritable": [],
			"permitted": [ "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE" ],
			"ambient": []
		},
		"rlimits": [ { "type": "RLIMIT_NOFILE", "hard": 1024, "soft": 512 } ],
		"noNewPrivileges": true,
		"oomScoreAdj": 100
	},
	"root": { "path": "rootfs", "readonly": true },
	"hostname": "oci-box",
	"mounts": [
		{ "destination": "/proc", "type": "proc", "source": "proc" },
		{ "destination": "/dev", "type": "tmpfs", "source": "tmpfs",
		  "options": [ "nosuid", "strictatime", "mode=755", "size=65536k" ] },
		{ "destination": "/dev/pts", "type": "devpts", "source": "devpts",
		  "options": [ "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5" ] },
		{ "destination": "/dev/shm", "type": "tmpfs", "source": "shm",
		  "options": [ "nosuid", "noexec", "nodev", "mode=1777", "size=65536k" ] },
		{ "destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
		  "options": [ "nosuid", "noexec", "nodev" ] },
		{ "destination": "/sys", "type": "sysfs", "source": "sysfs",
		  "options": [ "nosuid", "noexec", "nodev", "ro" ] },
		{ "destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup",
		  "options": [ "nosuid", "noexec", "nodev", "relatime", "ro" ] },
		{ "destination": "/out", "type": "bind", "source": "$tmp/out",
		  "options": [ "rbind", "rprivate" ] }
	],
	"linux": {
		"resources": { "devices": [ { "allow": false, "access": "rwm" } ] },
		"namespaces": [ { "type": "pid" }, { "type": "network" }, { "type": "ipc" },
				{ "type": "uts" }, { "type": "mount" } ],
		"maskedPaths": [ "/proc/cmdline", "/proc/keys", "/sys/firmware", "/proc/nonexistent" ],
		"readonlyPaths": [ "/proc/sys", "/proc/sysrq-trigger" ]
	},
	"annotations": { "org.example.test": "yes" }${2:+,
	$2}
}
EOF
}

# tc NAME WANT_RC PATTERN ID [OPTIONS]: create ID; its exit code and
# output compared.  Not through $(...): the container's process keeps
# the standard output it was given (as under conmon), so the output goes
# to a file.
tc() {
	local name=$1 want=$2 pat=$3 id=$4 rc
	shift 4
	oci create --bundle "$tmp/bundle" "$@" "$id" </dev/null >"$tmp/create.out" 2>&1
	rc=$?
	if [ "$rc" = "$want" ] && { [ -z "$pat" ] || grep -Eq -- "$pat" "$tmp/create.out"; }; then
		ok "$name"
	else
		nok "$name" "exit $rc (wanted $want), output:" "$(cat "$tmp/create.out")"
	fi
}

# status ID: the "status" of container-fd state.
status() { oci state "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }
is_stopped() { test "$(status "$1")" = stopped; }
pid_of() { oci state "$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])'; }

# The lifecycle, with the create/start split checked from outside.
config '[ "sh", "-c", "echo $WHO $(hostname) $(pwd) >/out/started; exec sleep 300" ]'
tc "create" 0 "" c1 --pid-file "$tmp/pid"
check "state after create: created" test "$(status c1)" = created
pid=$(pid_of c1)
check "--pid-file has the process" test "$(cat "$tmp/pid")" = "$pid"
check "created: the process has not executed the command yet" \
	test "$(cat /proc/"$pid"/comm)" = container-fd
check "created: the command has not run" not test -e "$tmp/out/started"
check "the container is in /proc/containers, its process as init" \
	test "$("$cfd" ls -o INIT,STATE | awk -v p="$pid" '$1 == p { print $2 }')" = running
t "state: runtime-spec fields, annotations" 0 '"org.example.test": "yes"' -- oci state c1
t "start" 0 "" -- oci start c1
check "start: the command runs" until_true 60 test -s "$tmp/out/started"
check "start: its env, hostname and cwd" grep -qx "oci oci-box /tmp" "$tmp/out/started"
check "state after start: running" test "$(status c1)" = running
# exec --process, as conmon runs it for podman exec.
cat >"$tmp/process.json" <<'EOF'
{ "args": [ "sh", "-c", "echo exec $(id -u) $(pwd) $X $(grep NoNewPrivs /proc/self/status | cut -f2) >/out/exec; exit 7" ],
  "env": [ "PATH=/bin", "X=x" ], "cwd": "/tmp", "user": { "uid": 1000, "gid": 1000 },
  "noNewPrivileges": true }
EOF
t "exec --process: the process's exit status" 7 "" -- oci exec --process "$tmp/process.json" c1
check "exec --process: user, cwd, env, noNewPrivileges" grep -qx "exec 1000 /tmp x 1" "$tmp/out/exec"
sed -i 's/exit 7/exec sleep 300/' "$tmp/process.json"
# Its output to a file: the process keeps what it was given, as create's.
oci exec --process "$tmp/process.json" --detach --pid-file "$tmp/xpid" c1 </dev/null >"$tmp/x.out" 2>&1
check "exec --process --detach --pid-file: exit 0, no output" test $? = 0 -a ! -s "$tmp/x.out"
check "exec --detach: the PID file names a process of the container" \
	test "$(cat /proc/"$(cat "$tmp/xpid")"/comm)" = sleep
check "exec --detach: the process lives, in the container" \
	test "$("$cfd" ls -o INIT,MEMBERS | awk -v p="$pid" '$1 == p { print $2 }')" = 2
t "exec --process into a missing container" 125 "does not exist" -- oci exec --process "$tmp/process.json" nosuch
t "start twice is refused" 125 "is running, not created" -- oci start c1
tc "create with an ID in use is refused" 125 "c1 exists already" c1
t "delete of a running container is refused" 125 "is running: stop it or use --force" -- oci delete c1
t "kill (SIGKILL by name)" 0 "" -- oci kill c1 KILL
check "the process dies" pid_exits "$pid" 30
check "state after it died: stopped" test "$(status c1)" = stopped
t "kill of a stopped container is refused" 125 "is not running" -- oci kill c1 TERM
t "delete" 0 "" -- oci delete c1
check "delete: the state is gone" not test -e "$root/c1"
t "state of a deleted container" 125 "" -- oci state c1
t "delete --force of what does not exist" 0 "" -- oci delete --force c1

# What the process got, as config.json asked.
probe='set -- $(grep -E "^(CapBnd|CapEff|NoNewPrivs):" /proc/self/status | cut -f2)
echo caps=$1,$2 nnp=$3 nofile=$(ulimit -n),$(ulimit -Hn) oom=$(cat /proc/self/oom_score_adj) \
groups=$(id -G) root=$(touch /x 2>/dev/null && echo rw || echo ro) \
cmdline=$(stat -c %F /proc/cmdline),$(wc -c </proc/cmdline) keys=$(wc -c </proc/keys) fw=$(ls /sys/firmware | wc -l) \
procsys=$(grep " /proc/sys " /proc/mounts | cut -d" " -f4 | cut -d, -f1) \
ptmx=$(readlink /dev/ptmx) pts=$(grep -c " /dev/pts devpts " /proc/mounts) \
mqueue=$(grep -c " /dev/mqueue mqueue " /proc/mounts) cgroup=$(grep " /sys/fs/cgroup " /proc/mounts | cut -d" " -f3) \
null=$(echo x >/dev/null && echo ok) mknod=$(mknod /dev/sda b 8 0 2>/dev/null && echo yes || echo no) \
umask=$(umask) imgdev=$(echo x >/nullnode 2>/dev/null && echo opens || echo refused) \
lo=$(cat /sys/class/net/lo/operstate) init=$$ >/out/probe'
config "[ \"sh\", \"-c\", $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$probe") ]"
tc "create c2" 0 "" c2
oci start c2
until_true 60 test -s "$tmp/out/probe"
p=$(cat "$tmp/out/probe" 2>/dev/null)
# CAP_KILL (5), CAP_NET_BIND_SERVICE (10), CAP_AUDIT_WRITE (29): 0x20000420.
want="caps=0000000020000420,0000000020000420 nnp=1 nofile=512,1024 oom=100 groups=0 100 root=ro cmdline=character special file,0 keys=0 fw=0 procsys=ro ptmx=pts/ptmx pts=1 mqueue=1 cgroup=cgroup2 null=ok mknod=no umask=0022 imgdev=refused"
check "the process: capabilities, no_new_privs, rlimits, oomScoreAdj, groups, read-only root, masked and read-only paths, /dev, mounts, umask, devices denied" \
	test "${p%% lo=*}" = "$want"
[ "${p%% lo=*}" = "$want" ] || printf '#   got:  %s\n#   want: %s\n' "${p%% lo=*}" "$want"
check "the process is the container's init (PID 1), loopback up" \
	grep -Eq " lo=(unknown|up) init=1$" "$tmp/out/probe"
until_true 30 is_stopped c2
oci delete c2

# A command that is not there fails create, and leaves nothing behind.
config '[ "no-such-command" ]'
tc "create: a missing command is 127" 127 "process.args\[0\]: exec: .no-such-command.: executable file not found" c3
check "a failed create leaves no state" not test -e "$root/c3"

# Refused, by the name of the field.
refused() {
	config '[ "true" ]' "$1"
	tc "refused: $2" 125 "$3" c4
	check "refused: $2: nothing left" not test -e "$root/c4"
}
refused '"hooks": { "prestart": [ { "path": "/bin/true" } ] }' "hooks" \
	'config.json: \(top level\): member "hooks" is not supported'
refused '"solaris": { "milestone": "x" }' "an unknown member" 'member "solaris" is not supported'
config '[ "true" ]'
sed -i 's|"resources": {|"seccomp": { "defaultAction": "SCMP_ACT_ALLOW" }, "resources": {|' "$tmp/bundle/config.json"
tc "refused: linux.seccomp" 125 'linux: member "seccomp" is not supported' c4
config '[ "true" ]'
sed -i 's|{ "type": "network" }|{ "type": "network", "path": "/proc/1/ns/net" }|' "$tmp/bundle/config.json"
tc "refused: a namespace by path" 125 'linux.namespaces\[1\]: joining an existing network namespace' c4
config '[ "true" ]'
sed -i 's|"allow": false|"allow": true|' "$tmp/bundle/config.json"
tc "refused: device allow rules" 125 'linux.resources.devices: allow rules need a device cgroup' c4
config '[ "true" ]'
sed -i 's|"type": "mqueue"|"type": "nfs"|' "$tmp/bundle/config.json"
tc "refused: a filesystem type" 125 'mounts\[4\]: type "nfs" is not supported' c4
config '[ "true" ]'
sed -i 's|"terminal": false|"terminal": true|' "$tmp/bundle/config.json"
tc "refused: a terminal without --console-socket" 125 'process.terminal needs --console-socket' c4
echo '{ "ociVersion": "1.0.2", "process": ' >"$tmp/bundle/config.json"
tc "refused: config.json that is not JSON" 125 'config.json' c4
tc "refused: a bad ID" 125 "invalid container ID '../x'" ../x
check "nothing left in the state root" test -z "$(ls "$root")"
tap_end
