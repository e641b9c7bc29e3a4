# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Counting TAP results.  Source it; then run_tap NAME CMD... runs one TAP
# producer, echoes its output, and adds its results to the totals.  A
# producer that exits non-zero without reporting a failure counts as one.

TAP_PASS=0
TAP_FAIL=0
TAP_SKIP=0
TAP_FAILED_NAMES=()
declare -A TAP_XFAIL=()

# tap_load_xfail FILE: "GROUP CASE | REASON" lines of known failures.
tap_load_xfail() {
	local line key
	while IFS= read -r line; do
		case "$line" in "#"* | "") continue ;; esac
		key=${line%% | *}
		TAP_XFAIL[$key]=${line#* | }
	done <"$1"
}

# tap_count GROUP < tap-output: add a TAP stream's results to the totals.
# Top-level "ok"/"not ok" lines only; "# SKIP" marks a skip (its reason is
# on the same line and is printed).
tap_count() {
	local group=$1 line p=0 f=0 s=0
	while IFS= read -r line; do
		case "$line" in
		"not ok "*)
			local name=${line#not ok } ; name=${name#* } ; name=${name%% *}
			if [ -n "${TAP_XFAIL[$group $name]:-}" ]; then
				s=$((s + 1)); echo "  skipped: $group: $name: known failure: ${TAP_XFAIL[$group $name]}"
			else
				f=$((f + 1)); TAP_FAILED_NAMES+=("$group: ${line#not ok }")
			fi ;;
		"ok "*"# SKIP"* | "ok "*"# skip"*)
			s=$((s + 1)); echo "  skipped: $group: ${line#ok }" ;;
		"ok "*)
			p=$((p + 1)) ;;
		esac
	done
	TAP_PASS=$((TAP_PASS + p)); TAP_FAIL=$((TAP_FAIL + f)); TAP_SKIP=$((TAP_SKIP + s))
	echo "  $group: $p passed, $f failed, $s skipped"
	TAP_LAST_COUNTED=$((p + f + s))
}

# run_tap GROUP CMD...: run CMD (a TAP producer) with a time limit.
run_tap() {
	local group=$1 out rc
	shift
	local start=$SECONDS
	out=$(mktemp)
	echo "== $group: $*"
	timeout --kill-after=5 "${TAP_TIMEOUT:-300}" "$@" >"$out" 2>&1
	rc=$?
	sed 's/^/  | /' "$out"
	tap_count "$group" <"$out"
	echo "  $group: $((SECONDS - start)) s"
	if [ "$rc" != 0 ] && [ "$rc" != 4 ] && ! grep -q '^not ok ' "$out"; then
		# Crashed, timed out (124) or failed without saying which test.
		TAP_FAIL=$((TAP_FAIL + 1))
		TAP_FAILED_NAMES+=("$group: exited $rc without a TAP failure")
		echo "  $group: exited $rc"
	fi
	if [ "$TAP_LAST_COUNTED" = 0 ] && [ "$rc" = 0 ]; then
		TAP_FAIL=$((TAP_FAIL + 1))
		TAP_FAILED_NAMES+=("$group: ran no test")
	fi
	rm -f "$out"
}

# run_plain GROUP CMD...: a program that is one test: exit 0 passes,
# 77 skips (its last line of output is the reason), anything else fails.
run_plain() {
	local group=$1 out rc
	shift
	out=$(mktemp)
	timeout --kill-after=5 "${TAP_TIMEOUT:-300}" "$@" >"$out" 2>&1
	rc=$?
	case $rc in
	0) TAP_PASS=$((TAP_PASS + 1)); echo "ok - $group" ;;
	77) TAP_SKIP=$((TAP_SKIP + 1)); echo "ok - $group # SKIP $(tail -n1 "$out")" ;;
	*) TAP_FAIL=$((TAP_FAIL + 1)); TAP_FAILED_NAMES+=("$group: exit $rc")
	   echo "not ok - $group (exit $rc)"; sed 's/^/  | /' "$out" ;;
	esac
	rm -f "$out"
}

# tap_summary: the closing line; returns non-zero on any failure.
tap_summary() {
	local n
	for n in "${TAP_FAILED_NAMES[@]}"; do
		echo "FAILED: $n"
	done
	echo "$TAP_PASS passed, $TAP_FAIL failed, $TAP_SKIP skipped"
	[ "$TAP_FAIL" = 0 ]
}
