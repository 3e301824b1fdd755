#!/usr/bin/env python3
"""Runs one command and records, for every line it writes to stderr, the wall time, CPU time and memory of the
process at that moment (from /proc), then its getrusage totals. Writes JSON lines to --out.

Per-stage figures are differences between the lines that open and close a stage (see report.py).
"""
import argparse
import json
import os
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def sample(pid):
    """CPU seconds (user + system), RSS and peak RSS (bytes) of a live process."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / TICKS
        rss = hwm = 0
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) * 1024
        return cpu, rss, hwm
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None, None, None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the child")
    parser.add_argument(
        "--stop-after-fit", action="store_true",
        help="end a `rideease train` once its final fit's last iteration is reported (as many as the test refit's):"
        " measures every stage before the artifact encode when that stage would take hours")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    env = dict(os.environ)
    for assignment in args.env:
        name, value = assignment.split("=", 1)
        env[name] = value
    start = time.monotonic()
    child = subprocess.Popen(args.command, stderr=subprocess.PIPE, stdout=subprocess.PIPE, env=env, text=True)
    refit_iterations = 0
    stopped = False
    with open(args.out, "w") as out:
        for line in child.stderr:
            now = time.monotonic() - start
            cpu, rss, hwm = sample(child.pid)
            record = {"t": round(now, 4), "cpu": cpu, "rss": rss, "hwm": hwm, "line": line.rstrip("\n")}
            out.write(json.dumps(record) + "\n")
            out.flush()
            if line.startswith("test refit iteration"):
                refit_iterations += 1
            if args.stop_after_fit and line.startswith(f"final fit iteration {refit_iterations} "):
                child.terminate()
                stopped = True
        stdout = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.monotonic() - start
        out.write(json.dumps({
            "end": True, "t": round(wall, 4), "cpu": usage.ru_utime + usage.ru_stime,
            "maxrss": usage.ru_maxrss * 1024, "status": child.returncode, "stopped_after_fit": stopped, "stdout": stdout[-2000:],
        }) + "\n")
    sys.stdout.write(stdout)
    sys.exit(0 if stopped else child.returncode)


if __name__ == "__main__":
    main()
