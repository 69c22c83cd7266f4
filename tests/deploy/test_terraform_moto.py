"""deploy/terraform applied to a moto server on loopback, checked with boto3.

One apply per module (about 80 s: the provider's own waiters for the ALB and the
lifecycle rules). A provider override points every service at moto and turns
detailed monitoring off, which moto does not implement (conftest.prepare).
This module applies the default, single-instance layout;
test_terraform_scale_out.py applies scale_out = true.
"""

from __future__ import annotations

import base64
import json

import pytest

from tests.deploy.conftest import DEPLOY, INSTANCE_ROLE_ACTIONS, REGION, Terraform, client, prepare


@pytest.fixture(scope="module")
def applied(terraform: Terraform, terraform_workdir, moto_url: str, certificate_arn: str) -> dict:
    workdir = terraform_workdir()
    prepare(workdir, moto_url, certificate_arn)
    terraform(workdir, "apply", "-auto-approve", "-input=false")
    outputs = json.loads(terraform(workdir, "output", "-json").stdout)
    return {name: output["value"] for name, output in outputs.items()}


def test_instance_is_private_hardened_and_in_a_private_subnet(applied: dict, moto_url: str) -> None:
    ec2 = client(moto_url, "ec2")
    (instance,) = ec2.describe_instances(InstanceIds=[applied["instance_id"]])["Reservations"][0][
        "Instances"
    ]
    assert "PublicIpAddress" not in instance
    assert instance["SubnetId"] == applied["private_subnet_ids"][0]
    assert "KeyName" not in instance
    assert instance["MetadataOptions"]["HttpTokens"] == "required"
    assert instance["IamInstanceProfile"]["Arn"].endswith(
        ":instance-profile/ttb-label-verifier-instance"
    )
    (volume,) = ec2.describe_volumes(
        Filters=[{"Name": "attachment.instance-id", "Values": [instance["InstanceId"]]}]
    )["Volumes"]
    assert volume["Encrypted"] is True
    user_data = ec2.describe_instance_attribute(
        InstanceId=instance["InstanceId"], Attribute="userData"
    )
    assert (
        base64.b64decode(user_data["UserData"]["Value"]).decode()
        == (DEPLOY / "instance_init.sh").read_text()
    )


def test_private_route_tables_go_out_through_the_nat_and_reach_s3_by_endpoint(
    applied: dict, moto_url: str
) -> None:
    ec2 = client(moto_url, "ec2")
    tables = ec2.describe_route_tables(
        Filters=[{"Name": "association.subnet-id", "Values": applied["private_subnet_ids"]}]
    )["RouteTables"]
    assert len(tables) == 2
    (nat,) = ec2.describe_nat_gateways()["NatGateways"]
    assert nat["SubnetId"] in applied["public_subnet_ids"]
    for table in tables:
        default = [r for r in table["Routes"] if r.get("DestinationCidrBlock") == "0.0.0.0/0"]
        assert [r.get("NatGatewayId") for r in default] == [nat["NatGatewayId"]]
        assert not any(r.get("GatewayId", "").startswith("igw-") for r in table["Routes"])
    (s3,) = ec2.describe_vpc_endpoints(VpcEndpointIds=[applied["vpc_endpoint_ids"]["s3"]])[
        "VpcEndpoints"
    ]
    assert s3["VpcEndpointType"] == "Gateway"
    assert sorted(s3["RouteTableIds"]) == sorted(t["RouteTableId"] for t in tables)


def test_ssm_interface_endpoints_have_private_dns_and_the_endpoint_group(
    applied: dict, moto_url: str
) -> None:
    ec2 = client(moto_url, "ec2")
    ids = [applied["vpc_endpoint_ids"][name] for name in ("ssm", "ec2messages", "ssmmessages")]
    endpoints = ec2.describe_vpc_endpoints(VpcEndpointIds=ids)["VpcEndpoints"]
    assert sorted(e["ServiceName"] for e in endpoints) == [
        f"com.amazonaws.{REGION}.ec2messages",
        f"com.amazonaws.{REGION}.ssm",
        f"com.amazonaws.{REGION}.ssmmessages",
    ]
    groups = ec2.describe_security_groups(
        Filters=[{"Name": "group-name", "Values": ["ttb-label-verifier-endpoints"]}]
    )["SecurityGroups"]
    for endpoint in endpoints:
        assert endpoint["PrivateDnsEnabled"] is True
        assert [g["GroupId"] for g in endpoint["Groups"]] == [groups[0]["GroupId"]]


def test_instance_ingress_is_only_the_app_port_from_the_alb_group(
    applied: dict, moto_url: str
) -> None:
    ec2 = client(moto_url, "ec2")
    groups = {g["GroupName"]: g for g in ec2.describe_security_groups()["SecurityGroups"]}
    instance_group, alb_group = (
        groups["ttb-label-verifier-instance"],
        groups["ttb-label-verifier-alb"],
    )
    (rule,) = instance_group["IpPermissions"]
    assert (rule["IpProtocol"], rule["FromPort"], rule["ToPort"]) == ("tcp", 8000, 8000)
    assert [pair["GroupId"] for pair in rule["UserIdGroupPairs"]] == [alb_group["GroupId"]]
    assert rule["IpRanges"] == []


def test_artifacts_bucket_settings(applied: dict, moto_url: str) -> None:
    s3, bucket = client(moto_url, "s3"), applied["artifacts_bucket"]
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
    (rule,) = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    assert set(
        s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"].values()
    ) == {True}
    (lifecycle,) = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert [(t["Days"], t["StorageClass"]) for t in lifecycle["Transitions"]] == [
        (30, "STANDARD_IA"),
        (90, "GLACIER"),
    ]
    assert lifecycle["Expiration"] == {"Days": 365}
    (deny,) = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"]
    assert deny["Effect"] == "Deny"
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_instance_role_has_exactly_the_listed_rights(applied: dict, moto_url: str) -> None:
    iam = client(moto_url, "iam")
    attached = iam.list_attached_role_policies(RoleName="ttb-label-verifier-instance")[
        "AttachedPolicies"
    ]
    assert [p["PolicyName"] for p in attached] == ["AmazonSSMManagedInstanceCore"]
    document = iam.get_role_policy(RoleName="ttb-label-verifier-instance", PolicyName="ttb-app")[
        "PolicyDocument"
    ]
    if isinstance(document, str):
        document = json.loads(document)
    actions = {
        s["Sid"]: sorted([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
        for s in document["Statement"]
    }
    assert actions == INSTANCE_ROLE_ACTIONS
    resources = {s["Sid"]: s["Resource"] for s in document["Statement"]}
    assert resources["ReadModelArchive"] == "arn:aws:s3:::ttb-models-example/models/*"
    assert (
        resources["PullImages"]
        == "arn:aws:ecr:us-east-1:123456789012:repository/ttb-label-verifier"
    )
    reader = iam.get_role_policy(
        RoleName="ttb-label-verifier-artifact-reader", PolicyName="read-artifacts"
    )
    assert "s3:PutObject" not in json.dumps(reader["PolicyDocument"])


def test_alb_listeners_and_health_check(applied: dict, moto_url: str, certificate_arn: str) -> None:
    elb = client(moto_url, "elbv2")
    (alb,) = elb.describe_load_balancers(Names=["ttb-label-verifier"])["LoadBalancers"]
    assert sorted(z["SubnetId"] for z in alb["AvailabilityZones"]) == sorted(
        applied["public_subnet_ids"]
    )
    listeners = {
        listener["Port"]: listener
        for listener in elb.describe_listeners(LoadBalancerArn=alb["LoadBalancerArn"])["Listeners"]
    }
    assert listeners[443]["Protocol"] == "HTTPS"
    assert listeners[443]["Certificates"] == [{"CertificateArn": certificate_arn}]
    assert listeners[80]["DefaultActions"][0]["RedirectConfig"]["Protocol"] == "HTTPS"
    (group,) = elb.describe_target_groups(LoadBalancerArn=alb["LoadBalancerArn"])["TargetGroups"]
    assert (group["HealthCheckPath"], group["Port"]) == ("/health", 8000)


def test_flow_logs_and_settings_parameters(applied: dict, moto_url: str) -> None:
    (flow_log,) = client(moto_url, "ec2").describe_flow_logs()["FlowLogs"]
    assert flow_log["ResourceId"] == applied["vpc_id"]
    (group,) = client(moto_url, "logs").describe_log_groups(
        logGroupNamePrefix="/vpc/ttb-label-verifier"
    )["logGroups"]
    assert group["retentionInDays"] == 365
    ssm = client(moto_url, "ssm")
    value = ssm.get_parameter(Name="/ttb-label-verifier/allowed_hosts")["Parameter"]["Value"]
    assert value == "labels.example.gov"
    secret_id = ssm.get_parameter(Name="/ttb-label-verifier/database_url_secret_id")["Parameter"][
        "Value"
    ]
    assert secret_id == applied["secret_ids"]["database_url"]


# ---------------------------------------------------------------- other options, planned


def test_option_3_plans_its_own_vpc_with_a_nat_gateway_per_az(
    terraform: Terraform, terraform_workdir, moto_url: str, certificate_arn: str
) -> None:
    workdir = terraform_workdir()
    prepare(workdir, moto_url, certificate_arn, create_vpc=True, nat_gateway_per_az=True)
    terraform(workdir, "plan", "-input=false", "-out=option3.plan")
    plan = json.loads(terraform(workdir, "show", "-json", "option3.plan").stdout)
    planned = {r["address"]: r for r in plan["planned_values"]["root_module"]["resources"]}
    assert planned["aws_vpc.main[0]"]["values"]["cidr_block"] == "10.20.0.0/16"
    assert sorted(a for a in planned if a.startswith("aws_nat_gateway.main")) == [
        "aws_nat_gateway.main[0]",
        "aws_nat_gateway.main[1]",
    ]
    assert planned["aws_subnet.private[1]"]["values"]["cidr_block"] == "10.20.144.0/20"
    assert planned["aws_subnet.public[0]"]["values"]["map_public_ip_on_launch"] is False
    assert planned["aws_instance.app[0]"]["values"]["associate_public_ip_address"] is False
    routes = {
        change["address"]: change
        for change in plan["configuration"]["root_module"]["resources"]
        if change["address"] == "aws_route.private_nat"
    }
    assert (
        routes["aws_route.private_nat"]["expressions"]["nat_gateway_id"]["references"][0]
        == "aws_nat_gateway.main"
    )


def test_turning_off_the_nat_without_ecr_endpoints_is_refused(
    terraform: Terraform, terraform_workdir, moto_url: str, certificate_arn: str
) -> None:
    workdir = terraform_workdir()
    prepare(workdir, moto_url, certificate_arn, enable_nat_gateway=False)
    result = terraform(workdir, "plan", "-input=false", check=False)
    assert result.returncode != 0
    assert "set enable_ecr_endpoints = true" in " ".join(result.stderr.split())
