# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Debian's auditd in the test guest, its log on tmpfs.  Source it, then:
#
#   auditd_start DIR     configuration and log in DIR; returns once the
#                        daemon is the kernel's audit daemon
#   audit_mark TEXT      a user record with TEXT, logged after everything
#                        the kernel logged before it; returns once it is
#                        in the log (so is all before it)
#   auditd_stop          stop the daemon, wait for it; delete all rules and
#                        turn audit off again, so that no other test pays
#
# AUDIT_LOG is the log's path.  Only for the guest: it takes over audit.

AUDIT_LOG=
AUDITD_PID=

# auditd_start DIR
auditd_start() {
	local dir=$1
	mkdir -p "$dir/plugins.d"
	AUDIT_LOG=$dir/audit.log
	: >"$AUDIT_LOG"
	# RAW records, written and flushed one by one; nothing may make the
	# daemon stop or suspend logging on a small tmpfs.
	cat >"$dir/auditd.conf" <<-EOF
	local_events = yes
	write_logs = yes
	log_file = $AUDIT_LOG
	log_group = root
	log_format = RAW
	flush = SYNC
	max_log_file = 0
	max_log_file_action = IGNORE
	space_left = 2
	space_left_action = IGNORE
	admin_space_left = 1
	admin_space_left_action = IGNORE
	disk_full_action = IGNORE
	disk_error_action = SYSLOG
	use_libwrap = no
	plugin_dir = $dir/plugins.d
	name_format = NONE
	priority_boost = 0
	end_of_event_timeout = 2
	EOF
	chmod 0640 "$dir/auditd.conf"
	# auditd forks; its parent exits once the daemon runs and has told the
	# kernel it is the audit daemon.
	auditd -c "$dir" || { echo "auditd did not start" >&2; return 1; }
	AUDITD_PID=$(cat /run/auditd.pid 2>/dev/null)
	[ -n "$AUDITD_PID" ] || { echo "auditd left no pid file" >&2; return 1; }
	auditctl -e 1 >/dev/null || return 1
	auditctl -s | grep -qx "pid $AUDITD_PID" || {
		echo "auditd $AUDITD_PID is not the kernel's audit daemon:" >&2
		auditctl -s >&2
		return 1
	}
}

# _audit_log_has PATTERN: wait (30 s at most) until the log has PATTERN.
# tail -F waits on inotify; grep stops at the first match, then tail goes.
_audit_log_has() {
	local fd tpid rc
	exec {fd}< <(exec timeout 30 tail -F -n +1 "$AUDIT_LOG" 2>/dev/null)
	tpid=$!
	grep -q -m1 -F -- "$1" <&"$fd"
	rc=$?
	kill "$tpid" 2>/dev/null
	exec {fd}<&-
	return $rc
}

# audit_mark TEXT
audit_mark() {
	auditctl -m "$1" || return 1
	_audit_log_has "$1" || { echo "mark '$1' never reached $AUDIT_LOG" >&2; return 1; }
}

auditd_stop() {
	[ -n "$AUDITD_PID" ] || return 0
	local rc
	kill -TERM "$AUDITD_PID" 2>/dev/null
	# tail --pid polls the process until it is gone; bounded by timeout.
	timeout 30 tail --pid="$AUDITD_PID" -f /dev/null
	rc=$?
	AUDITD_PID=
	auditctl -D >/dev/null
	auditctl -e 0 >/dev/null
	return $rc
}
