#!/usr/bin/env python3
"""Starts `rideease serve` on a store, and measures: exec → ready, first recommendation, RSS with one model, and
peak RSS while a hot-swap (`POST /admin/switch-model`) loads a second model beside the serving one.
Prints one JSON object."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from measure import sample


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url, body=None, headers=None, timeout=600):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (urllib.error.URLError, ConnectionError):
        return None, b""


def main():
    binary, storage, user, swap_version = sys.argv[1:5]
    port = free_port()
    key = "scale-bench-admin-key"
    env = dict(os.environ, MODEL_ADMIN_API_KEY=key, LOG_LEVEL="error")
    start = time.monotonic()
    child = subprocess.Popen(
        [binary, "serve", "--storage", storage, "--port", str(port), "--host", "127.0.0.1", "--no-schedule"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    result = {}
    try:
        while True:
            status, _ = request(base + "/healthz?probe=ready", timeout=5)
            if status == 200:
                break
            if child.poll() is not None or time.monotonic() - start > 900:
                raise SystemExit("serve did not become ready")
            time.sleep(0.01)
        result["ready_s"] = time.monotonic() - start
        cpu, rss, hwm = sample(child.pid)
        result["ready_cpu_s"], result["ready_rss"], result["ready_hwm"] = cpu, rss, hwm
        t = time.monotonic()
        status, body = request(base + "/recommendations", {"userId": user, "limit": 10})
        result["first_recommendation_s"] = time.monotonic() - t
        result["first_recommendation_status"] = status
        result["one_model_rss"] = sample(child.pid)[1]
        if swap_version:
            t = time.monotonic()
            cpu0 = sample(child.pid)[0]
            status, body = request(
                base + "/admin/switch-model", {"version": swap_version, "target": "all"}, {"x-api-key": key})
            cpu1, rss, hwm = sample(child.pid)
            result["swap_s"] = time.monotonic() - t
            result["swap_cpu_s"] = cpu1 - cpu0
            result["swap_status"] = status
            result["swap_body"] = body.decode()[:300]
            result["two_model_hwm"] = hwm
            result["after_swap_rss"] = rss
    finally:
        child.terminate()
        child.wait()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
