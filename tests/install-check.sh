#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install DESTDIR=... PREFIX=/usr, then an outside program compiles
# and links against it through pkg-config alone.  Runs on the host.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT
make -s install DESTDIR="$dest" PREFIX=/usr >/dev/null
cat >"$dest/prog.c" <<'C'
#include <containerfd.h>
#include <stdio.h>
int main(void)
{
	int r = cfd_probe();
	printf("probe: %s\n", r == 0 ? "container objects" : "no container objects");
	return 0;
}
C
# Ours from the install, what it requires (libmount) from the system.
export PKG_CONFIG_SYSROOT_DIR=$dest
export PKG_CONFIG_LIBDIR=$dest/usr/lib/pkgconfig:$(pkg-config --variable pc_path pkg-config)
flags=$(pkg-config --cflags --libs libcontainerfd)
cc -o "$dest/prog" "$dest/prog.c" $flags
LD_LIBRARY_PATH=$dest/usr/lib "$dest/prog" >/dev/null
for f in usr/bin/container-fd usr/lib/libcontainerfd.so.2 usr/lib/libcontainerfd.a \
	 usr/share/man/man3/cfd_spawn.3 usr/share/man/man3/cfd_fs_mount.3 \
	 usr/include/containerfd/containerfd.h usr/include/containerfd/containerfd-uapi.h \
	 usr/share/man/man7/containerfd.7 \
	 usr/share/man/man1/container-fd.1 usr/share/man/man1/container-fd-audit.1; do
	[ -e "$dest/$f" ] || { echo "install-check: $f not installed" >&2; exit 1; }
done
echo "ok - make install DESTDIR and pkg-config --libs libcontainerfd link an outside program"

# Every page renders without a groff or man warning (the man-pages
# project's check), from its man directory so .so links resolve.
lint_man() {
	local dir=$1 page out bad=0
	for page in $(cd "$dir" && ls man?/*); do
		out=$(cd "$dir" && LC_ALL=C.UTF-8 MANWIDTH=80 \
			man --warnings -E UTF-8 -l -Tutf8 -Z "$page" 2>&1 >/dev/null)
		[ -z "$out" ] || { echo "$dir/$page:"; echo "$out"; bad=1; }
	done
	return $bad
}
lint_man "$dest/usr/share/man" || { echo "install-check: man page warnings" >&2; exit 1; }
lint_man kernel/man || { echo "install-check: man page warnings" >&2; exit 1; }
echo "ok - $(ls "$dest"/usr/share/man/man?/* kernel/man/man?/* | wc -l) man pages render without warnings"
