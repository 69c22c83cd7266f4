"""Fixtures for the deployment tests: the parsed Terraform, and Terraform itself.

Terraform runs offline against the provider in the machine's filesystem mirror,
always in a temporary copy of deploy/, so no .terraform folder or state ever
lands in the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import hcl2
import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
TERRAFORM_DIR = DEPLOY / "terraform"
PROVIDER_MIRROR = Path(os.environ.get("TTB_TF_PLUGIN_MIRROR", "/opt/tf-plugins"))

# The instance role's IAM statements, by Sid: exactly these actions and no more
# (issue 8's list plus ECR pull and the app secrets, which start-up needs).
INSTANCE_ROLE_ACTIONS = {
    "ReadModelArchive": ["s3:GetObject"],
    "ArtifactObjects": ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
    "ListArtifacts": ["s3:ListBucket"],
    "EcrLogin": ["ecr:GetAuthorizationToken"],
    "PullImages": [
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer",
    ],
    "ReadAppSecrets": ["secretsmanager:GetSecretValue"],
}


def unquote(value: Any) -> Any:
    """python-hcl2 keeps HCL's quotes and block markers; drop them for plain dicts."""
    if isinstance(value, dict):
        return {
            unquote(key): unquote(item)
            for key, item in value.items()
            if key not in ("__is_block__", "__comments__", "__inline_comments__")
        }
    if isinstance(value, list):
        return [unquote(item) for item in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


class TerraformConfig:
    """All deploy/terraform/*.tf files, parsed, addressable by type and name."""

    def __init__(self, directory: Path) -> None:
        self.resources: dict[str, dict[str, dict[str, Any]]] = {}
        self.data: dict[str, dict[str, dict[str, Any]]] = {}
        self.variables: dict[str, dict[str, Any]] = {}
        self.locals: dict[str, Any] = {}
        for path in sorted(directory.glob("*.tf")):
            with path.open() as file:
                parsed = unquote(hcl2.load(file))
            for block in parsed.get("resource", []):
                for kind, named in block.items():
                    self.resources.setdefault(kind, {}).update(named)
            for block in parsed.get("data", []):
                for kind, named in block.items():
                    self.data.setdefault(kind, {}).update(named)
            for block in parsed.get("variable", []):
                self.variables.update(block)
            for block in parsed.get("locals", []):
                self.locals.update(block)

    def resource(self, kind: str, name: str) -> dict[str, Any]:
        return self.resources[kind][name]


@pytest.fixture(scope="session")
def terraform_config() -> TerraformConfig:
    return TerraformConfig(TERRAFORM_DIR)


@pytest.fixture(scope="session")
def terraform_bin() -> str:
    found = shutil.which("terraform")
    if found is None:
        pytest.skip("no `terraform` binary on PATH: install Terraform >= 1.11 to run this test")
    if not (PROVIDER_MIRROR / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
        pytest.skip(f"no AWS provider in the filesystem mirror {PROVIDER_MIRROR}")
    return found


@pytest.fixture(scope="session")
def terraform_env(terraform_bin: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for terraform: offline provider mirror, no real AWS credentials."""
    cli_config = tmp_path_factory.mktemp("terraform-cli") / "cli.tfrc"
    cli_config.write_text(
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path = "{PROVIDER_MIRROR}"\n  }}\n'
        "}\n"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "TF_"))}
    env.update(
        TF_CLI_CONFIG_FILE=str(cli_config),
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        CHECKPOINT_DISABLE="1",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


Terraform = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(scope="session")
def terraform_workdir(
    terraform_bin: str, terraform_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[], Path]:
    """Make a fresh, initialised copy of deploy/ and return its terraform folder."""

    def make() -> Path:
        copy = tmp_path_factory.mktemp("deploy") / "deploy"
        shutil.copytree(DEPLOY, copy, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
        workdir = copy / "terraform"
        run_terraform(terraform_bin, terraform_env, workdir, "init", "-backend=false")
        return workdir

    return make


def run_terraform(
    terraform_bin: str, env: dict[str, str], workdir: Path, *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [terraform_bin, f"-chdir={workdir}", args[0], "-no-color", *args[1:]],
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
    )
    if check and result.returncode != 0:
        pytest.fail(f"terraform {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def terraform(terraform_bin: str, terraform_env: dict[str, str]) -> Terraform:
    """terraform(workdir, "plan", ...): fails the test on a non-zero exit unless check=False."""

    def call(workdir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return run_terraform(terraform_bin, terraform_env, workdir, *args, check=check)

    return call


# ---------------------------------------------------------------- a moto server

REGION = "us-east-1"
SERVICES = (
    "acm",
    "autoscaling",
    "cloudwatch",
    "ec2",
    "elbv2",
    "iam",
    "logs",
    "rds",
    "s3",
    "secretsmanager",
    "ssm",
    "sts",
)


@pytest.fixture(scope="module")
def moto_url(terraform_bin: str) -> Iterator[str]:
    """A moto server on loopback, one per test module (each applies into its own)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"}
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{url}/moto-api/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("moto_server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def client(moto_url: str, service: str):
    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=moto_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def prepare(workdir: Path, moto_url: str, certificate_arn: str, **overrides: object) -> None:
    endpoints = "\n".join(f'    {service} = "{moto_url}"' for service in SERVICES)
    (workdir / "moto_override.tf").write_text(
        'provider "aws" {\n'
        '  access_key                  = "testing"\n'
        '  secret_key                  = "testing"\n'
        "  skip_credentials_validation = true\n"
        "  skip_metadata_api_check     = true\n"
        "  s3_use_path_style           = true\n"
        f"  endpoints {{\n{endpoints}\n  }}\n"
        "}\n\n"
        'resource "aws_instance" "app" {\n  monitoring = false\n}\n'
    )
    variables = {
        "certificate_arn": certificate_arn,
        "app_image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/ttb-label-verifier:1.0.0",
        "app_hostnames": ["labels.example.gov"],
        "models_bucket_name": "ttb-models-example",
        "ami_id": "ami-12c6146b",
        "alb_deletion_protection": False,
        "artifact_reader_principal_arns": ["arn:aws:iam::123456789012:role/analyst"],
        **overrides,
    }
    (workdir / "moto.auto.tfvars.json").write_text(json.dumps(variables))


@pytest.fixture(scope="module")
def certificate_arn(moto_url: str) -> str:
    return client(moto_url, "acm").request_certificate(DomainName="labels.example.gov")[
        "CertificateArn"
    ]
