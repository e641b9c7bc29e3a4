#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The container keyring with real clients: Debian's keyctl(1) inside a
# container, container-fd key outside as the manager (its upcall mode runs
# a program, or /sbin/request-key, for each request).  TAP output.  Needs
# root and a kernel with container keyrings.
set -u
cd "$(dirname "$0")/../.." || exit 1
cfd=$(realpath "${CFD_CLI:-build/bin/container-fd}")

# A session keyring of our own: what we add and queue is ours alone.
if [ -z "${CFD_KEYS_SESSION:-}" ]; then
	export CFD_KEYS_SESSION=1
	exec keyctl session - "$0" "$@"
fi

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

tmp=$(mktemp -d)
servers=()
cleanup() {
	local p
	for p in "${servers[@]}"; do kill "$p" 2>/dev/null; done
	[ -n "${id:-}" ] && "$cfd" kill -s KILL "$id" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

command -v keyctl >/dev/null || { echo "1..0 # SKIP no keyctl (keyutils)"; exit 0; }
id=$("$cfd" run --detach --ns uts,ipc,net,mnt -- sleep 600) || {
	echo "1..0 # SKIP container-fd run fails: $id"; exit 0; }
if out=$("$cfd" key keyring "$id" 2>&1); [ $? != 0 ]; then
	echo "1..0 # SKIP $out"; exit 0
fi
ring=$out

# serve NAME ARGS...: start "container-fd key upcall ARGS", return once it
# intercepts (it says so on stderr, read through a FIFO we keep open).
serve() {
	local name=$1 line
	shift
	mkfifo "$tmp/$name"
	"$cfd" key upcall "$@" 2>"$tmp/$name" &
	servers+=($!)
	exec {fd}<"$tmp/$name"
	eval "fd_$name=$fd"
	while read -r -t 30 line <&"$fd"; do
		case "$line" in *"serving"*) return 0 ;; esac
		echo "# server $name: $line"
	done
	return 1
}

# Wait for the last server started, then close its FIFO.
served() {
	local name=$1 fd
	eval "fd=\$fd_$name"
	timeout 30 tail --pid="${servers[-1]}" -f /dev/null || kill "${servers[-1]}"
	wait "${servers[-1]}"
	local rc=$?
	cat <&"$fd" >"$tmp/$name.log"
	exec {fd}<&-
	return $rc
}

# --- The keyring and grants ---------------------------------------------
kid=$(keyctl add user cfd-sh-granted "shared secret" @s)
t "run --key: keyctl request finds the key inside" 0 "^[0-9]+$" -- \
	"$cfd" run --key "$kid" -- keyctl request user cfd-sh-granted
t "run --key: keyctl print reads it" 0 "^shared secret$" -- \
	"$cfd" run --key "%user:cfd-sh-granted" -- sh -c 'keyctl print $(keyctl request user cfd-sh-granted)'
t "run --key: a key we cannot name" 1 "invalid key 'nope'" -- "$cfd" run --key nope -- true

t "key keyring: a serial" 0 "^$ring$" -- "$cfd" key keyring "$id"
t "key link" 0 "" -- "$cfd" key link "$id" "$kid"
t "key list shows the grant" 0 "user +0 +0 +3f010000 +cfd-sh-granted" -- "$cfd" key list "$id"
t "key list --json" 0 '"description": *"cfd-sh-granted"' -- \
	sh -c "\"$cfd\" key list --json $id | python3 -m json.tool"
t "keyctl show: the member sees its container keyring" 0 "keyring: .container" -- \
	"$cfd" exec "$id" -- keyctl show "$ring"
t "keyctl request and print inside" 0 "^shared secret$" -- \
	"$cfd" exec "$id" -- sh -c 'keyctl print $(keyctl request user cfd-sh-granted)'
t "keyctl link into the container keyring: refused" 1 "Permission denied" -- \
	"$cfd" exec "$id" -- sh -c "keyctl link \$(keyctl add user own x @s) $ring"
t "keyctl unlink from it: refused" 1 "Permission denied" -- \
	"$cfd" exec "$id" -- keyctl unlink "$kid" "$ring"
t "keyctl clear: refused" 1 "Permission denied" -- "$cfd" exec "$id" -- keyctl clear "$ring"
t "keyctl invalidate: refused" 1 "Operation not permitted" -- \
	"$cfd" exec "$id" -- keyctl invalidate "$ring"
t "key unlink" 0 "" -- "$cfd" key unlink "$id" "$kid"
t "after unlink keyctl request fails" 1 "Required key not available" -- \
	"$cfd" exec "$id" -- keyctl request user cfd-sh-granted
t "key unlink: not granted" 1 "is not in the container's keyring" -- "$cfd" key unlink "$id" "$kid"
t "key link: unprivileged" 1 "permission denied" -- \
	setpriv --reuid 65534 --regid 65534 --clear-groups "$cfd" key link "$id" 1
t "key: unknown subcommand" 1 "unknown subcommand 'frob'" -- "$cfd" key frob "$id"
t "key link: no container" 1 "no container given" -- "$cfd" key link
t "key intercept: no mode" 1 "give one of" -- "$cfd" key intercept "$id"
t "key intercept: no such type" 1 "no key type 'nosuch'" -- \
	"$cfd" key intercept --type nosuch --queue @s "$id"
t "key intercept: bad timeout" 1 "invalid timeout '99999'" -- \
	"$cfd" key intercept --timeout 99999 --queue @s "$id"

# --- Upcalls ---------------------------------------------------------------
# A process forked into a container has no session keyring (none of its
# manager's): there "keyctl request2 ... @s" would make one of its own,
# which dies with it, and the key with it.  keyctl session gives the
# request and the read one session keyring, as a login would.
t "no interception: keyctl request2 is refused, not served on the host" 1 \
	"Required key not available" -- \
	"$cfd" exec "$id" -- keyctl request2 user debug:sh-refused callout @s

if serve prog --type user --count 1 "$id" -- /bin/keyctl instantiate %k "answered %c from %i" 0; then
	t "keyctl request2 answered by the manager's program" 0 "^answered callout from $id$" -- \
		"$cfd" exec "$id" -- keyctl session - sh -c 'keyctl print $(keyctl request2 user debug:sh-asked callout @s)'
	served prog
	t "the upcall server logged the request" 0 "user 'debug:sh-asked' from container $id" -- \
		cat "$tmp/prog.log"
else
	nok "keyctl request2 answered by the manager's program" "server did not start"
fi

if serve poll --poll --count 1 "$id" -- /bin/sh -c 'keyctl instantiate $KEY_ID "$KEY_TYPE:$KEY_DESCRIPTION:$KEY_CALLOUT" 0'; then
	t "--poll, and the request in the environment" 0 "^user:debug:sh-polled:c$" -- \
		"$cfd" exec "$id" -- keyctl session - sh -c 'keyctl print $(keyctl request2 user debug:sh-polled c @s)'
	served poll
else
	nok "--poll, and the request in the environment" "server did not start"
fi

if [ -x /sbin/request-key ] && grep -q 'debug:\*' /etc/request-key.conf 2>/dev/null; then
	if serve rk --count 1 "$id"; then
		t "handed to /sbin/request-key by the manager" 0 "^Debug viarequestkey$" -- \
			"$cfd" exec "$id" -- keyctl session - sh -c 'keyctl print $(keyctl request2 user debug:sh-rk viarequestkey @s)'
		served rk
	else
		nok "handed to /sbin/request-key by the manager" "server did not start"
	fi
else
	ok "handed to /sbin/request-key by the manager # SKIP no request-key debug rule"
fi

t "dns_resolver without an interception: refused" 1 "Required key not available" -- \
	"$cfd" exec "$id" -- keyctl request2 dns_resolver www.cfd.test "" @s
if serve dns --type dns_resolver --count 1 "$id" -- /bin/sh -c 'printf "192.0.2.9\0" | keyctl pinstantiate %k 0'; then
	t "dns_resolver served by the manager, not /sbin/key.dns_resolver" 0 "^192.0.2.9$" -- \
		"$cfd" exec "$id" -- keyctl session - sh -c 'keyctl print $(keyctl request2 dns_resolver www.cfd.test "" @s)'
	served dns
else
	nok "dns_resolver served by the manager" "server did not start"
fi

if serve lazy --type user --count 1 "$id" -- /bin/true; then
	t "a handler that answers nothing: negated at once" 1 "Required key not available" -- \
		timeout 20 "$cfd" exec "$id" -- keyctl request2 user debug:sh-lazy c @s
	served lazy
	t "the server says it negated it" 0 "left unanswered: negated" -- cat "$tmp/lazy.log"
else
	nok "a handler that answers nothing" "server did not start"
fi

t "key intercept --queue, --timeout 1" 0 "" -- \
	"$cfd" key intercept --type user --timeout 1 --queue @s "$id"
t "unanswered: keyctl request2 fails at the timeout" 1 "timed out" -- \
	timeout 20 "$cfd" exec "$id" -- keyctl request2 user debug:sh-late c @s
t "key intercept --remove" 0 "" -- "$cfd" key intercept --type user --remove "$id"
t "key intercept --remove: nothing left" 1 "no interception of user to remove" -- \
	"$cfd" key intercept --type user --remove "$id"

# The server ends with the container.
id2=$("$cfd" run --detach --ns uts,ipc,net -- sleep 600)
if serve ends "$id2"; then
	"$cfd" kill -s KILL "$id2" >/dev/null
	if served ends; then ok "upcall ends when the container dies"; else nok "upcall ends when the container dies" "$(cat "$tmp/ends.log")"; fi
else
	nok "upcall ends when the container dies" "server did not start"
fi

echo "1..$n"
[ "$failed" = 0 ]
