"""deploy/terraform with scale_out = true (issue 17): RDS PostgreSQL, the web and
worker Auto Scaling Groups, the queue metric and its scaling policy.

Applied to a moto server (its own, one per module) and checked with boto3, for
what moto implements; the rest is asserted on the plan (both switch values) and
on the HCL.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from tests.deploy.conftest import (
    DEPLOY,
    INSTANCE_ROLE_ACTIONS,
    Terraform,
    TerraformConfig,
    client,
    prepare,
)

SCALE_OUT_TYPES = {
    "aws_autoscaling_group",
    "aws_autoscaling_policy",
    "aws_db_instance",
    "aws_db_parameter_group",
    "aws_db_subnet_group",
    "aws_launch_template",
    "aws_secretsmanager_secret_version",
}


def planned_resources(terraform: Terraform, workdir: Path, name: str) -> dict[str, dict]:
    terraform(workdir, "plan", "-input=false", f"-out={name}.plan")
    plan = json.loads(terraform(workdir, "show", "-json", f"{name}.plan").stdout)
    return {r["address"]: r for r in plan["planned_values"]["root_module"]["resources"]}


@pytest.fixture(scope="module")
def scaled(terraform: Terraform, terraform_workdir, moto_url: str, certificate_arn: str) -> dict:
    workdir = terraform_workdir()
    prepare(workdir, moto_url, certificate_arn, scale_out=True)
    terraform(workdir, "apply", "-auto-approve", "-input=false")
    outputs = json.loads(terraform(workdir, "output", "-json").stdout)
    values = {name: output["value"] for name, output in outputs.items()}
    values["state"] = (workdir / "terraform.tfstate").read_text()
    return values


def security_groups(moto_url: str) -> dict[str, dict]:
    groups = client(moto_url, "ec2").describe_security_groups()["SecurityGroups"]
    return {g["GroupName"]: g for g in groups}


# ---------------------------------------------------------------- the database


def test_database_is_private_encrypted_backed_up_protected_and_multi_az(
    scaled: dict, moto_url: str
) -> None:
    (database,) = client(moto_url, "rds").describe_db_instances(
        DBInstanceIdentifier="ttb-label-verifier-database"
    )["DBInstances"]
    assert database["Engine"] == "postgres"
    assert database["StorageEncrypted"] is True
    assert database["PubliclyAccessible"] is False
    assert database["BackupRetentionPeriod"] == 14
    assert database["DeletionProtection"] is True
    assert database["MultiAZ"] is True
    subnets = [s["SubnetIdentifier"] for s in database["DBSubnetGroup"]["Subnets"]]
    assert sorted(subnets) == sorted(scaled["private_subnet_ids"])
    groups = security_groups(moto_url)
    assert [g["VpcSecurityGroupId"] for g in database["VpcSecurityGroups"]] == [
        groups["ttb-label-verifier-database"]["GroupId"]
    ]
    assert scaled["database_endpoint"] == (
        f"{database['Endpoint']['Address']}:{database['Endpoint']['Port']}"
    )


def test_database_admits_only_the_web_and_worker_groups(scaled: dict, moto_url: str) -> None:
    groups = security_groups(moto_url)
    rules = groups["ttb-label-verifier-database"]["IpPermissions"]
    admitted = sorted(
        (rule["FromPort"], rule["ToPort"], pair["GroupId"])
        for rule in rules
        for pair in rule["UserIdGroupPairs"]
    )
    assert admitted == sorted(
        [
            (5432, 5432, groups["ttb-label-verifier-instance"]["GroupId"]),
            (5432, 5432, groups["ttb-label-verifier-worker"]["GroupId"]),
        ]
    )
    assert all(rule["IpRanges"] == [] for rule in rules)
    assert groups["ttb-label-verifier-worker"]["IpPermissions"] == []  # nothing reaches a worker


def test_database_url_secret_holds_a_password_that_is_not_in_the_state(
    scaled: dict, moto_url: str
) -> None:
    secret = client(moto_url, "secretsmanager").get_secret_value(
        SecretId=scaled["secret_ids"]["database_url"]
    )["SecretString"]
    match = re.fullmatch(r"postgres://ttb:([A-Za-z0-9]{40})@(.+)/ttb\?sslmode=require", secret)
    assert match, secret
    password, host_port = match.groups()
    assert host_port == scaled["database_endpoint"]
    assert password not in scaled["state"]  # write-only arguments: never stored


# ---------------------------------------------------------------- the two groups


def launch_template_data(moto_url: str, name: str) -> dict:
    (version,) = client(moto_url, "ec2").describe_launch_template_versions(
        LaunchTemplateName=name, Versions=["$Latest"]
    )["LaunchTemplateVersions"]
    return version["LaunchTemplateData"]


@pytest.mark.parametrize("role", ["web", "worker"])
def test_launch_templates_are_hardened_and_run_the_init_script_as_is(
    scaled: dict, moto_url: str, role: str
) -> None:
    data = launch_template_data(moto_url, f"ttb-label-verifier-{role}")
    assert base64.b64decode(data["UserData"]).decode() == (DEPLOY / "instance_init.sh").read_text()
    assert data["MetadataOptions"]["HttpTokens"] == "required"
    assert data["MetadataOptions"]["InstanceMetadataTags"] == "enabled"
    (interface,) = data["NetworkInterfaces"]
    assert interface["AssociatePublicIpAddress"] is False
    group = security_groups(moto_url)[
        "ttb-label-verifier-instance" if role == "web" else "ttb-label-verifier-worker"
    ]
    assert interface["Groups"] == [group["GroupId"]]
    profile = data["IamInstanceProfile"]["Arn"]
    assert profile.endswith(":instance-profile/ttb-label-verifier-instance")
    (disk,) = data["BlockDeviceMappings"]
    assert disk["Ebs"]["Encrypted"] is True
    assert "KeyName" not in data
    (tags,) = [t["Tags"] for t in data["TagSpecifications"] if t["ResourceType"] == "instance"]
    assert {t["Key"]: t["Value"] for t in tags}["ttb-role"] == role


@pytest.mark.parametrize("role", ["web", "worker"])
def test_groups_launch_private_instances_across_two_azs(
    scaled: dict, moto_url: str, role: str
) -> None:
    (group,) = client(moto_url, "autoscaling").describe_auto_scaling_groups(
        AutoScalingGroupNames=[scaled["autoscaling_groups"][role]]
    )["AutoScalingGroups"]
    assert sorted(group["VPCZoneIdentifier"].split(",")) == sorted(scaled["private_subnet_ids"])
    assert len(set(group["AvailabilityZones"])) >= 2
    assert group["LaunchTemplate"]["LaunchTemplateName"] == f"ttb-label-verifier-{role}"
    assert group["MinSize"] == (2 if role == "web" else 1)
    instance_ids = [i["InstanceId"] for i in group["Instances"]]
    assert len(instance_ids) == group["MinSize"]
    reservations = client(moto_url, "ec2").describe_instances(InstanceIds=instance_ids)
    for reservation in reservations["Reservations"]:
        for instance in reservation["Instances"]:
            assert "PublicIpAddress" not in instance
            assert instance["SubnetId"] in scaled["private_subnet_ids"]
            # moto does not copy the template's metadata options to the instances it
            # launches: IMDSv2 is asserted on the launch template above.


def test_web_group_serves_behind_the_alb_with_its_health_check(scaled: dict, moto_url: str) -> None:
    (group,) = client(moto_url, "autoscaling").describe_auto_scaling_groups(
        AutoScalingGroupNames=[scaled["autoscaling_groups"]["web"]]
    )["AutoScalingGroups"]
    elb = client(moto_url, "elbv2")
    (target_group,) = elb.describe_target_groups(Names=["ttb-label-verifier-app"])["TargetGroups"]
    assert group["TargetGroupARNs"] == [target_group["TargetGroupArn"]]
    assert group["HealthCheckType"] == "ELB"
    assert group["HealthCheckGracePeriod"] == 1800
    assert "instance_id" not in scaled  # null: no single instance besides the group


def test_workers_scale_on_queue_depth_per_instance(scaled: dict, moto_url: str) -> None:
    autoscaling = client(moto_url, "autoscaling")
    (worker,) = autoscaling.describe_auto_scaling_groups(
        AutoScalingGroupNames=[scaled["autoscaling_groups"]["worker"]]
    )["AutoScalingGroups"]
    assert worker["TargetGroupARNs"] == []  # nothing routes to a worker
    (policy,) = autoscaling.describe_policies(AutoScalingGroupName=worker["AutoScalingGroupName"])[
        "ScalingPolicies"
    ]
    assert policy["PolicyType"] == "TargetTrackingScaling"
    tracking = policy["TargetTrackingConfiguration"]
    assert tracking["TargetValue"] == 600
    metrics = {m["Id"]: m for m in tracking["CustomizedMetricSpecification"]["Metrics"]}
    assert metrics["backlog"]["Expression"] == "depth / workers"
    depth = metrics["depth"]["MetricStat"]["Metric"]
    assert (depth["Namespace"], depth["MetricName"]) == ("TTBLabelVerifier", "QueueDepth")
    assert depth["Dimensions"] == [{"Name": "Deployment", "Value": "ttb-label-verifier"}]
    assert scaled["queue_metrics"] == {
        "namespace": "TTBLabelVerifier",
        "dimensions": {"Deployment": "ttb-label-verifier"},
    }


def test_metrics_reach_cloudwatch_through_the_monitoring_endpoint(
    scaled: dict, moto_url: str
) -> None:
    ec2 = client(moto_url, "ec2")
    (endpoint,) = ec2.describe_vpc_endpoints(
        VpcEndpointIds=[scaled["vpc_endpoint_ids"]["monitoring"]]
    )["VpcEndpoints"]
    assert endpoint["ServiceName"] == "com.amazonaws.us-east-1.monitoring"
    assert endpoint["PrivateDnsEnabled"] is True
    groups = security_groups(moto_url)
    admitted = sorted(
        pair["GroupId"]
        for rule in groups["ttb-label-verifier-endpoints"]["IpPermissions"]
        for pair in rule["UserIdGroupPairs"]
    )
    assert admitted == sorted(
        [
            groups["ttb-label-verifier-instance"]["GroupId"],
            groups["ttb-label-verifier-worker"]["GroupId"],
        ]
    )
    namespace = client(moto_url, "ssm").get_parameter(
        Name="/ttb-label-verifier/queue_metrics_namespace"
    )["Parameter"]["Value"]
    assert namespace == "TTBLabelVerifier"


def test_instance_role_is_scoped_as_before_plus_its_metrics_namespace(
    scaled: dict, moto_url: str
) -> None:
    iam = client(moto_url, "iam")
    names = iam.list_role_policies(RoleName="ttb-label-verifier-instance")["PolicyNames"]
    assert sorted(names) == ["ttb-app", "ttb-queue-metrics"]

    def document(name: str) -> dict:
        policy = iam.get_role_policy(RoleName="ttb-label-verifier-instance", PolicyName=name)
        value = policy["PolicyDocument"]
        return json.loads(value) if isinstance(value, str) else value

    actions = {
        s["Sid"]: sorted([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
        for s in document("ttb-app")["Statement"]
    }
    assert actions == INSTANCE_ROLE_ACTIONS
    (metrics,) = document("ttb-queue-metrics")["Statement"]
    assert metrics["Action"] == "cloudwatch:PutMetricData"
    assert metrics["Condition"] == {"StringEquals": {"cloudwatch:namespace": "TTBLabelVerifier"}}


# ---------------------------------------------------------------- plans: both switch values


def test_default_plan_is_the_single_instance_layout(
    terraform: Terraform, terraform_workdir, moto_url: str, certificate_arn: str
) -> None:
    workdir = terraform_workdir()
    prepare(workdir, moto_url, certificate_arn)
    planned = planned_resources(terraform, workdir, "default")
    assert {r["type"] for r in planned.values()} & SCALE_OUT_TYPES == set()
    assert "aws_instance.app[0]" in planned
    assert "aws_lb_target_group_attachment.app[0]" in planned
    assert not [a for a in planned if re.search(r"\.(worker|database)(\[|$)", a)]
    endpoints = sorted(a for a in planned if a.startswith("aws_vpc_endpoint.interface"))
    assert endpoints == [
        'aws_vpc_endpoint.interface["ec2messages"]',
        'aws_vpc_endpoint.interface["ssm"]',
        'aws_vpc_endpoint.interface["ssmmessages"]',
    ]
    assert 'aws_ssm_parameter.app["queue_metrics_namespace"]' not in planned


def test_scale_out_plan_keeps_the_password_out_and_single_az_is_a_choice(
    terraform: Terraform, terraform_workdir, moto_url: str, certificate_arn: str
) -> None:
    workdir = terraform_workdir()
    prepare(
        workdir,
        moto_url,
        certificate_arn,
        scale_out=True,
        database_multi_az=False,
        worker_max_size=30,
    )
    planned = planned_resources(terraform, workdir, "scaled")
    assert "aws_instance.app[0]" not in planned
    assert "aws_lb_target_group_attachment.app[0]" not in planned
    database = planned["aws_db_instance.database[0]"]["values"]
    assert database["multi_az"] is False
    assert database["password"] is None and database["password_wo"] is None
    assert database["publicly_accessible"] is False
    assert database["storage_encrypted"] is True
    assert database["deletion_protection"] is True
    assert database["backup_retention_period"] >= 7
    secret = planned["aws_secretsmanager_secret_version.database_url[0]"]["values"]
    assert secret["secret_string_wo"] is None and secret.get("secret_string") in (None, "")
    assert planned["aws_autoscaling_group.worker[0]"]["values"]["max_size"] == 30


def test_backups_under_a_week_are_refused(
    terraform: Terraform, terraform_workdir, moto_url: str, certificate_arn: str
) -> None:
    workdir = terraform_workdir()
    prepare(workdir, moto_url, certificate_arn, scale_out=True, database_backup_retention_days=3)
    result = terraform(workdir, "plan", "-input=false", check=False)
    assert result.returncode != 0
    assert "database_backup_retention_days must be from 7 to 35" in " ".join(result.stderr.split())


# ---------------------------------------------------------------- the HCL


def test_scale_out_is_off_by_default_and_its_parts_hang_on_it(
    terraform_config: TerraformConfig,
) -> None:
    assert terraform_config.variables["scale_out"]["default"] is False
    assert terraform_config.variables["database_multi_az"]["default"] is True
    assert terraform_config.variables["database_deletion_protection"]["default"] is True
    for kind, name in (
        ("aws_db_instance", "database"),
        ("aws_autoscaling_group", "web"),
        ("aws_autoscaling_group", "worker"),
        ("aws_autoscaling_policy", "worker_queue"),
        ("aws_security_group", "database"),
        ("aws_security_group", "worker"),
        ("aws_iam_role_policy", "queue_metrics"),
    ):
        assert terraform_config.resource(kind, name)["count"] == "${var.scale_out ? 1 : 0}"
    assert terraform_config.resource("aws_instance", "app")["count"] == ("${var.scale_out ? 0 : 1}")


def test_database_password_goes_through_write_only_arguments(
    terraform_config: TerraformConfig,
) -> None:
    database = terraform_config.resource("aws_db_instance", "database")
    assert "password" not in database
    assert database["password_wo"].startswith("${ephemeral.aws_secretsmanager_random_password")
    secret = terraform_config.resource("aws_secretsmanager_secret_version", "database_url")
    assert "secret_string" not in secret
    assert "random_password" in secret["secret_string_wo"]
    assert database["password_wo_version"] == secret["secret_string_wo_version"]
