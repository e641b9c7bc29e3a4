# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What the checkpoint/restore tests and the demo share about a container
# whose init is tests/criu/counter (it appends 1, 2, 3, ... to its log).
# Source it, then:
#
#   count_above LOG N [PID]  wait until LOG's last number is above N and
#                            echo it; give up after 20 s, or as soon as
#                            process PID, if given, is gone
#   line_of ID               the /proc/containers line of container ID:
#                            "ID PARENT STATE INIT MEMBERS FLAGS NAME"

count_above() {
	local last end=$((SECONDS + 20))
	while ((SECONDS < end)); do
		last=$(tail -n 1 "$1" 2>/dev/null)
		if [ -n "$last" ] && [ "$last" -gt "$2" ]; then
			echo "$last"
			return 0
		fi
		[ -z "${3:-}" ] || kill -0 "$3" 2>/dev/null || return 1
		sleep 0.01
	done
	return 1
}

line_of() { awk -v id="$1" '$1 == id' /proc/containers; }
