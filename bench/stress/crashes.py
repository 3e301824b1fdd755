#!/usr/bin/env python3
"""Crashes: kill -9 during training and during model switches, at random points, many times.

After every kill the store (the file backend, as `rideease serve` uses it by default) must be valid and
consistent:
- every published version (models/<v>/metadata.json) parses, its artifact exists with the recorded size and
  SHA-256; an artifact without metadata is an unpublished leftover (allowed, never listed or served);
- deployments/rec-engine.json parses, and names only published versions (current and previous);
- no partially written file is visible as an object (FileStore's temporary files are `.rideease-tmp-*`);
- a restarted server serves exactly the deployment's versions (GET /healthz), or is not ready when nothing is
  deployed or published.

A run killed while holding the training lease leaves it held for its hour; the driver expires it (what the
clock would do) so the next iteration trains again.

Usage: bench/stress/crashes.py --bin PATH [--iterations 20] [--seed N]
"""
import argparse
import hashlib
import http.client
import json
import os
import pathlib
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
ADMIN_KEY = "stress-crash-key"
VARIANTS = ["control", "treatment"]  # the default experiment (RIDEEASE_EXPERIMENT unset)


def request(port, method, path, body=None, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=json.dumps(body).encode() if body is not None else None,
                     headers={"Content-Type": "application/json", "x-api-key": ADMIN_KEY})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Store:
    """The file store's folder, read the way a checker would: objects are files not named `.rideease-*`."""

    def __init__(self, root: pathlib.Path):
        self.root = root

    def published(self):
        """{version: metadata} for every version whose metadata exists; raises on any inconsistency."""
        versions = {}
        models = self.root / "models"
        if not models.exists():
            return versions
        for folder in sorted(models.iterdir()):
            metadata_path = folder / "metadata.json"
            artifact_path = folder / "model.bin"
            if not metadata_path.exists():
                continue  # an unpublished artifact of a crashed run: allowed, skipped by readers
            metadata = json.loads(metadata_path.read_bytes())
            lineage = metadata["lineage"]
            if not artifact_path.exists():
                raise AssertionError(f"{folder.name}: published without its artifact")
            artifact = artifact_path.read_bytes()
            if hashlib.sha256(artifact).hexdigest() != lineage["artifactSha256"]:
                raise AssertionError(f"{folder.name}: artifact checksum differs from the metadata")
            if len(artifact) != lineage["artifactBytes"]:
                raise AssertionError(f"{folder.name}: artifact size differs from the metadata")
            if metadata["version"] != folder.name:
                raise AssertionError(f"{folder.name}: metadata names version {metadata['version']}")
            versions[folder.name] = metadata
        return versions

    def deployment(self):
        path = self.root / "deployments" / "rec-engine.json"
        return json.loads(path.read_bytes()) if path.exists() else None

    def visible_partial_files(self):
        """Files a listing would show that are not complete objects: none may exist (writes are renames)."""
        partial = []
        for path in self.root.rglob("*"):
            if path.is_file() and not any(part.startswith(".rideease") for part in path.relative_to(self.root).parts):
                if path.suffix == ".json":
                    try:
                        json.loads(path.read_bytes())
                    except ValueError:
                        partial.append(str(path.relative_to(self.root)))
        return partial

    def expire_training_lease(self):
        lease = self.root / "locks" / "training.json"
        if lease.exists():
            data = json.loads(lease.read_bytes())
            data["expiresAt"] = "2000-01-01T00:00:00Z"
            temporary = lease.with_name(".rideease-tmp-stress")
            temporary.write_text(json.dumps(data))
            os.replace(temporary, lease)


def check(store: Store):
    """Raises AssertionError naming the first inconsistency; returns (published versions, deployment)."""
    published = store.published()
    deployment = store.deployment()
    if deployment is not None:
        for field in ("versions", "previous"):
            for variant, version in (deployment.get(field) or {}).items():
                if version not in published:
                    raise AssertionError(f"deployment {field}.{variant} names unpublished version {version}")
    partial = store.visible_partial_files()
    if partial:
        raise AssertionError(f"partially written objects are visible: {partial[:5]}")
    return published, deployment


def start_server(binary, work, env):
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-schedule"],
                              cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        if server.poll() is not None:
            raise AssertionError(f"the server exited with {server.returncode} on start")
        try:
            status, body = request(port, "GET", "/healthz", timeout=2)
            if status == 200:
                return server, port, json.loads(body)
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError("the server did not start")


def verify_restart(binary, work, env, published, deployment):
    server, port, health = start_server(binary, work, env)
    try:
        if deployment is not None:
            expected = deployment["versions"]
        elif published:
            newest = max(published, key=lambda v: tuple(int(x) for x in v.lstrip("v").split(".")))
            expected = {variant: newest for variant in VARIANTS}
        else:
            expected = {}
        if health["models"] != expected:
            raise AssertionError(f"restarted server serves {health['models']}, the store says {expected}")
        return health["models"]
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    args.bin = os.path.abspath(args.bin)  # the binary runs in a scratch folder
    rng = random.Random(args.seed)
    work = pathlib.Path(tempfile.mkdtemp(prefix="rideease-crashes-"))
    shutil.copy(ROOT / "functions.yaml", work)
    env = {**os.environ, "MODEL_ADMIN_API_KEY": ADMIN_KEY, "LOG_LEVEL": "warning", "LOG_FORMAT": "json",
           "RIDEEASE_DEPLOYMENT_POLL_SECONDS": "0.2"}
    store = Store(work / ".rideease" / "data")
    train_command = [args.bin, "train", "--no-tune", "--set", "factors=16", "--set", "iterations=4"]
    try:
        subprocess.run([args.bin, "simulate", "--riders", "800", "--places", "150", "--days", "3", "--seed", "3"],
                       cwd=work, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.monotonic()
        subprocess.run(train_command, cwd=work, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        train_seconds = time.monotonic() - started
        print(f"== seed {args.seed}; one training run takes {train_seconds:.2f}s; {args.iterations} kills")
        kills = {"train": 0, "switch": 0}
        outcomes = {"published": 0, "unpublished leftovers": 0}
        for iteration in range(args.iterations):
            mode = "train" if iteration % 2 == 0 else "switch"
            if mode == "train":
                before = set(store.published())
                child = subprocess.Popen(train_command, cwd=work, env=env, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)
                time.sleep(rng.uniform(0.2, 1.05) * train_seconds)
                child.send_signal(signal.SIGKILL)
                child.wait()
                store.expire_training_lease()
                after = set(check(store)[0])
                outcomes["published" if after - before else "unpublished leftovers"] += 1
            else:
                published = sorted(store.published())
                server, port, _ = start_server(args.bin, work, env)
                stop = threading.Event()

                def switch_forever():
                    n = 0
                    while not stop.is_set():
                        n += 1
                        target = rng.choice(["all", "control", "treatment"])
                        try:
                            request(port, "POST", "/admin/switch-model",
                                    {"version": published[n % len(published)], "target": target}, timeout=5)
                        except OSError:
                            return

                switcher = threading.Thread(target=switch_forever)
                switcher.start()
                time.sleep(rng.uniform(0.05, 1.5))
                server.send_signal(signal.SIGKILL)
                server.wait()
                stop.set()
                switcher.join()
            kills[mode] += 1
            published, deployment = check(store)
            serving = verify_restart(args.bin, work, env, published, deployment)
            print(f"kill {iteration + 1:3d} during {mode:6s}: {len(published)} published, generation "
                  f"{deployment['generation'] if deployment else '-'}, restarted server serves {serving}")
        leftovers = sum(1 for folder in (store.root / "models").iterdir() if not (folder / "metadata.json").exists())
        print(f"crash goals met: {kills['train']} kills during training ({outcomes['published']} had published, "
              f"{outcomes['unpublished leftovers']} had not), {kills['switch']} during switches; "
              f"{leftovers} unpublished artifacts left; every store valid and every restart served the deployment")
    except AssertionError as error:
        print(f"STRESS GOAL MISSED: crashes: {error} (seed {args.seed}; store kept in {work})", file=sys.stderr)
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
