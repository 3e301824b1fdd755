#!/usr/bin/env python3
"""Fails when a secret is committed: cloud keys, private keys, tokens, and high-entropy values assigned to
secret-ish names, in every file git tracks (or would add: untracked files that are not ignored).

Usage: scripts/secret-scan.py [--self-test]
  --self-test  plants known secrets and look-alikes in a scratch git repository and checks that exactly the
               secrets are reported (so a broken rule fails the test command instead of passing silently).

Allowlist: scripts/secret-scan-allowlist.txt, one `path-glob<TAB>regex` per line (# comments): a finding in a
matching file whose line matches the regex is accepted. Use it only for test fixtures, with a comment saying why.
"""
import fnmatch
import math
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
ALLOWLIST = "scripts/secret-scan-allowlist.txt"

RULES = [
    ("AWS access key id", re.compile(r"\b(?:AKIA|ASIA|AROA|AIDA)[0-9A-Z]{16}\b")),
    ("private key", re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----")),
    ("GitHub token", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{36,}\b")),
    ("Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}")),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("GCP service account key", re.compile(r'"private_key_id"\s*:\s*"[0-9a-f]{40}"')),
]
SECRET_NAME = r"[A-Za-z0-9_.-]*(?:secret|passw(?:or)?d|token|api[_-]?key|access[_-]?key|credential)[A-Za-z0-9_.-]*"
# A secret-ish name assigned a quoted literal: `api_key = "…"`, `"secretAccessKey": "…"`, `token: '…'`.
QUOTED_ASSIGNMENT = re.compile(
    r"(?i)(?P<name>" + SECRET_NAME + r")[\"']?\s*(?::=|[:=])\s*(?P<quote>[\"'])(?P<value>[^\"'\s]{16,})(?P=quote)"
)
# … or a bare value on a line of its own, as in .env and YAML files: `MODEL_ADMIN_API_KEY=…`, `token: …`.
BARE_ASSIGNMENT = re.compile(
    r"(?i)^\s*(?:export\s+)?(?P<name>" + SECRET_NAME + r")\s*[:=]\s*(?P<value>[A-Za-z0-9+/=_.~-]{16,})\s*$"
)


def entropy(text: str) -> float:
    counts = {c: text.count(c) for c in set(text)}
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def looks_random(value: str) -> bool:
    """High entropy and mixed character classes: real keys, not words, paths or placeholders."""
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
    return len(value) >= 16 and entropy(value) >= 3.7 and classes >= 2 and not re.fullmatch(r"[a-z_.-]+", value)


def findings_in(path: str, text: str):
    for number, line in enumerate(text.splitlines(), 1):
        for name, rule in RULES:
            if rule.search(line):
                yield path, number, name, line
        for match in [*QUOTED_ASSIGNMENT.finditer(line), *BARE_ASSIGNMENT.finditer(line)]:
            if looks_random(match.group("value")):
                yield path, number, f"high-entropy value for {match.group('name')}", line


def load_allowlist(root: pathlib.Path):
    entries = []
    path = root / ALLOWLIST
    if path.exists():
        for raw in path.read_text().splitlines():
            if raw.strip() and not raw.startswith("#"):
                glob, _, pattern = raw.partition("\t")
                entries.append((glob.strip(), re.compile(pattern.strip())))
    return entries


def scan(root: pathlib.Path):
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root,
                            check=True, capture_output=True).stdout.decode().split("\0")
    allowlist = load_allowlist(root)
    found = []
    for path in filter(None, listed):
        file = root / path
        if not file.is_file() or path == ALLOWLIST:
            continue
        data = file.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary
        for finding in findings_in(path, data.decode("utf-8", "replace")):
            _, _, _, line = finding
            if not any(fnmatch.fnmatch(path, glob) and pattern.search(line) for glob, pattern in allowlist):
                found.append(finding)
    return found


def self_test() -> int:
    # Built from pieces so this file itself never matches a rule.
    aws_id = "AKIA" + "Z7QW3RTY5UIO2PLK"
    planted = {
        "config/prod.env": f"AWS_ACCESS_KEY_ID={aws_id}\n",
        "deploy/key.pem": "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIE\n",
        "app/settings.py": 'api_key = "' + "q8Fz2LmN4vR7tY1wXk9B" + '"\n',
        "app/config.yaml": "MODEL_ADMIN_API_KEY: " + "Zr4u8Kp2Lq9Xw3Nv7Tb1" + "\n",
        "ci/token.txt": "token: gh" + "p_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8" + "\n",
    }
    benign = {
        "README.md": "export MODEL_ADMIN_API_KEY=change-me\nadmin key: MODEL_ADMIN_API_KEY_FILE\n",
        "Sources/A.swift": 'let secretName = "MODEL_ADMIN_API_KEY"\nlet token = request.headers["x-api-key"]\n',
        "tests/fixture.py": 'secret_access_key = "' + "Fixture9Only8For7Tests6X" + '"\n',
        "docs/hash.md": "artifactSha256: 3f786850e387550fdab836ed7e6dc881de23001b\n",
    }
    with tempfile.TemporaryDirectory() as scratch:
        root = pathlib.Path(scratch)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        for path, text in {**planted, **benign}.items():
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text)
        (root / ALLOWLIST).parent.mkdir(parents=True, exist_ok=True)
        (root / ALLOWLIST).write_text("# fixtures\ntests/fixture.py\tFixture9Only8For7Tests6X\n")
        reported = {path for path, *_ in scan(root)}
    missed = set(planted) - reported
    false = reported - set(planted)
    if missed or false:
        print(f"secret-scan self-test FAILED: missed {sorted(missed)}, false alarms {sorted(false)}", file=sys.stderr)
        return 1
    print(f"secret-scan self-test: {len(planted)} planted secrets found, {len(benign)} look-alikes passed")
    return 0


def main() -> int:
    if "--self-test" in sys.argv:
        return self_test()
    found = scan(ROOT)
    for path, number, name, line in found:
        print(f"{path}:{number}: {name}: {line.strip()[:120]}", file=sys.stderr)
    if found:
        print(f"secret-scan: {len(found)} possible secret(s); remove them, or allowlist a test fixture in "
              f"{ALLOWLIST}", file=sys.stderr)
        return 1
    print("secret-scan: no secrets in the files git tracks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
