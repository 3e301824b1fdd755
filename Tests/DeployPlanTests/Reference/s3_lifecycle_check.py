"""Applies an emitted S3 lifecycle configuration to a moto bucket the way `aws s3api
put-bucket-lifecycle-configuration` would (botocore validates the request against the S3 service model, moto parses
it as S3 does) and prints the rules S3 then reports, as JSON. Exits non-zero when S3 refuses the document."""

import json
import sys

import boto3
from moto import mock_aws


def main() -> None:
    configuration = json.load(open(sys.argv[1]))
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="rideease-state")
        s3.put_bucket_lifecycle_configuration(Bucket="rideease-state", LifecycleConfiguration=configuration)
        rules = s3.get_bucket_lifecycle_configuration(Bucket="rideease-state")["Rules"]
    print(json.dumps([
        {"id": r["ID"], "prefix": r["Filter"]["Prefix"], "days": r["Expiration"]["Days"], "status": r["Status"]}
        for r in rules
    ]))


if __name__ == "__main__":
    main()
