#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Drive a command through a pseudo-terminal, as a person at a terminal would.

    pty_drive.py [--size ROWSxCOLS] [--timeout SECS] STEP... -- COMMAND [ARG...]

Steps, in order:
    send:TEXT          type TEXT (\\n, \\r, \\x03 ... are understood)
    expect:REGEX       wait until the output after the last match matches REGEX
    resize:ROWSxCOLS   change the terminal's size (the command gets SIGWINCH)
    signal:NAME        send a signal to the command
Each expect waits at most --timeout seconds (default 60).  Exits with the
command's exit status (128 + N for signal N), or 124 when an expect timed
out.  The output is printed at the end (with \n for the terminal's \r\n),
or to stderr when an expect fails.
"""
import codecs
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time


def set_size(fd, spec):
    rows, cols = (int(x) for x in spec.split("x"))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def main():
    args = sys.argv[1:]
    size, timeout = "24x80", 60.0
    while args and args[0].startswith("--") and args[0] != "--":
        opt = args.pop(0)
        if opt == "--size":
            size = args.pop(0)
        elif opt == "--timeout":
            timeout = float(args.pop(0))
        else:
            sys.exit(f"pty_drive: unknown option {opt}")
    sep = args.index("--")
    steps, cmd = args[:sep], args[sep + 1:]

    pid, master = pty.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    set_size(master, size)
    seen = b""
    pos = 0  # an expect matches only output after the previous match

    def read_some(wait):
        nonlocal seen
        r, _, _ = select.select([master], [], [], wait)
        if not r:
            return True
        try:
            data = os.read(master, 4096)
        except OSError:
            return False
        if not data:
            return False
        seen += data
        return True

    def fail(why):
        sys.stderr.write(f"pty_drive: {why}; output so far:\n")
        sys.stderr.write(seen.decode(errors="replace") + "\n")
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        sys.exit(124)

    for step in steps:
        kind, _, arg = step.partition(":")
        if kind == "send":
            os.write(master, codecs.decode(arg, "unicode_escape").encode())
        elif kind == "expect":
            pattern = re.compile(arg.encode(), re.M)
            end = time.monotonic() + timeout
            while not (m := pattern.search(seen, pos)):
                left = end - time.monotonic()
                if left <= 0 or not read_some(left):
                    fail(f"no match for {arg!r}")
            pos = m.end()
        elif kind == "resize":
            set_size(master, arg)
        elif kind == "signal":
            os.kill(pid, getattr(signal, "SIG" + arg.upper().removeprefix("SIG")))
        else:
            sys.exit(f"pty_drive: unknown step {step!r}")
    # The rest of the output, until the command closes the terminal.
    end = time.monotonic() + timeout
    while time.monotonic() < end and read_some(end - time.monotonic()):
        pass
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    sys.stdout.write(seen.decode(errors="replace").replace("\r\n", "\n"))
    sys.exit(code if code >= 0 else 128 - code)


main()
