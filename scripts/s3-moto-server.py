#!/usr/bin/env python3
"""Start moto_server on a loopback port with signature checking ON, for benchmarks and manual tests.

Creates an IAM user with an allow-all inline policy and an access key, then turns auth on
(POST /moto-api/reset-auth, body 0), prints one line "ENDPOINT ACCESS_KEY_ID SECRET" and serves until
its stdin closes (so a caller that dies takes the server with it).

Usage: scripts/s3-moto-server.py [PORT] [--serial]
  --serial  serve one request at a time: moto 5.x checks If-Match/If-None-Match without a lock, so only
            serialised requests give S3's atomic conditional writes (the Swift tests run moto this way).
"""
import socket
import subprocess
import sys
import time
import urllib.request

import boto3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    serial = "--serial" in sys.argv
    port = int(args[0]) if args else free_port()
    code = (
        "import sys, moto.server as s\n"
        "r = s.run_simple\n"
        f"s.run_simple = lambda *a, **k: r(*a, **{{**k, 'threaded': {not serial}}})\n"
        "s.main(['-H', '127.0.0.1', '-p', sys.argv[1]])\n"
    )
    server = subprocess.Popen([sys.executable, "-c", code, str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(endpoint + "/moto-api/data.json", timeout=1)
                break
            except Exception:
                if server.poll() is not None:
                    sys.exit("moto_server exited; is moto[server] installed? pip install 'moto[server]'")
                time.sleep(0.1)
        iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                           aws_access_key_id="bootstrap", aws_secret_access_key="bootstrap")
        iam.create_user(UserName="rideease")
        iam.put_user_policy(UserName="rideease", PolicyName="all", PolicyDocument=(
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'))
        key = iam.create_access_key(UserName="rideease")["AccessKey"]
        request = urllib.request.Request(endpoint + "/moto-api/reset-auth", data=b"0", method="POST",
                                         headers={"Content-Type": "text/plain"})
        urllib.request.urlopen(request).read()
        print(endpoint, key["AccessKeyId"], key["SecretAccessKey"], flush=True)
        sys.stdin.read()  # until EOF
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
