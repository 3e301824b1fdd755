#!/usr/bin/env python3
"""Turns the measure.py logs of bench/scale.sh into per-stage wall, CPU and peak RSS per city size, and fits a
growth exponent per stage (least-squares slope of log(wall) on log(rides) between 100k and 10M, over the sizes
measured in that range). Usage: report.py RESULTS_DIR SIZE..."""
import json
import math
import re
import sys

FIT = re.compile(r"^(test refit|final fit) iteration (\d+) ([0-9.]+)s")


def load(path):
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except FileNotFoundError:
        return []


def train_stages(records):
    """Stages of one `rideease train --no-tune` run from its timestamped progress lines."""
    lines = [r for r in records if "line" in r]
    end = next((r for r in records if r.get("end")), None)
    stages = {}
    snapshot = next((r for r in lines if r["line"].startswith("snapshot ")), None)
    if snapshot:
        stages["snapshot read"] = (snapshot["t"], snapshot["cpu"], snapshot["hwm"])
    tests = [r for r in lines if r["line"].startswith("test refit iteration")]
    finals = [r for r in lines if r["line"].startswith("final fit iteration")]
    if len(finals) >= 2:
        n = len(finals)
        # Steady state: iterations 2..n (the first also draws the initial factors and builds both half-steps).
        seconds = float(FIT.match(finals[-1]["line"]).group(3)) - float(FIT.match(finals[0]["line"]).group(3))
        cpu = (finals[-1]["cpu"] - finals[0]["cpu"]) / (n - 1)
        stages["fit (per iteration)"] = (seconds / (n - 1), cpu, max(r["hwm"] for r in finals))
    if tests and finals:
        first = float(FIT.match(finals[0]["line"]).group(3))
        wall = finals[0]["t"] - first - tests[-1]["t"]
        per_iteration_cpu = stages.get("fit (per iteration)", (0, 0, 0))[1]
        cpu = finals[0]["cpu"] - tests[-1]["cpu"] - per_iteration_cpu
        stages["evaluation (+ full matrix)"] = (wall, cpu, finals[0]["hwm"])
    registered = next((r for r in lines if r["line"].startswith("registered ")), None)
    if registered and finals and end:
        stages["encode + write + register"] = (
            end["t"] - finals[-1]["t"], end["cpu"] - finals[-1]["cpu"], end["maxrss"])
    if end and end.get("stopped_after_fit"):
        stages["snapshot → final fit (stopped there)"] = (end["t"], end["cpu"], end["maxrss"])
    elif end:
        stages["snapshot → registered (whole run)"] = (end["t"], end["cpu"], end["maxrss"])
    return stages


def whole(records, name):
    end = next((r for r in records if r.get("end")), None)
    return {name: (end["t"], end["cpu"], end["maxrss"])} if end else {}


def fmt(value, unit):
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return f"{value / 1048576:.0f}"


def main():
    root, sizes = sys.argv[1], [int(s) for s in sys.argv[2:]]
    table = {}
    speedups = {}
    for size in sizes:
        stages = {}
        stages.update(whole(load(f"{root}/{size}/simulate.jsonl"), "import (simulate)"))
        stages.update(train_stages(load(f"{root}/{size}/train.jsonl")))
        one = train_stages(load(f"{root}/{size}/train-1thread.jsonl")).get("fit (per iteration)")
        if one and "fit (per iteration)" in stages:
            speedups[size] = one[0] / stages["fit (per iteration)"][0]
        try:
            with open(f"{root}/{size}/serve.json") as f:
                serve = json.load(f)
            stages["server start → ready"] = (serve["ready_s"], serve.get("ready_cpu_s"), serve["ready_hwm"])
            stages["first recommendation"] = (serve["first_recommendation_s"], None, serve["one_model_rss"])
            if "two_model_hwm" in serve:
                stages["hot-swap (two models held)"] = (serve["swap_s"], serve.get("swap_cpu_s"), serve["two_model_hwm"])
        except (FileNotFoundError, KeyError, json.JSONDecodeError):
            pass
        table[size] = stages
    names = []
    for stages in table.values():
        for name in stages:
            if name not in names:
                names.append(name)
    print(f"{'stage':38} {'rides':>9} {'wall s':>9} {'CPU s':>9} {'peak RSS MiB':>13}")
    for name in names:
        for size in sizes:
            if name in table[size]:
                wall, cpu, rss = table[size][name]
                print(f"{name:38} {size:>9} {fmt(wall, 's'):>9} {fmt(cpu, 's'):>9} {fmt(rss, 'b'):>13}")
    print()
    fitted = [s for s in sizes if 100_000 <= s <= 10_000_000]
    if len(fitted) < 2:
        fitted = sizes  # --quick: only one size ≥ 100k, so the slope is over every size (a development hint)
    print(f"growth exponent of wall time (log-log slope over {', '.join(map(str, fitted))} rides; goal ≤ 1.15"
          " between 100k and 10M):")
    for name in names:
        points = [(math.log(s), math.log(table[s][name][0])) for s in fitted
                  if name in table[s] and table[s][name][0] > 0]
        if len(points) < 2:
            print(f"  {name:38} n/a (measured at fewer than two sizes)")
            continue
        mx = sum(x for x, _ in points) / len(points)
        my = sum(y for _, y in points) / len(points)
        slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
        flag = "ok" if slope <= 1.15 else "MISSED (> 1.15)"
        print(f"  {name:38} {slope:5.2f}  {flag}")
    if speedups:
        print()
        print("fit speed-up over one thread (per-iteration wall, RIDEEASE_TRAIN_THREADS=1 vs every core):")
        for size, ratio in speedups.items():
            print(f"  {size:>9} rides: {ratio:.2f}x")


if __name__ == "__main__":
    main()
