"""deploy/terraform: formatting, validity, checkov, and the production layout read from the HCL.

The layout tests read the configuration itself (python-hcl2), so they run
without Terraform or AWS; test_terraform_moto.py applies it to a moto server.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import hcl2
import pytest

from tests.deploy.conftest import (
    INSTANCE_ROLE_ACTIONS,
    REPO,
    TERRAFORM_DIR,
    Terraform,
    TerraformConfig,
    unquote,
)

CHECKOV = REPO / ".venv-checkov" / "bin" / "checkov"


# ---------------------------------------------------------------- tooling


def test_terraform_fmt_check_passes(terraform: Terraform) -> None:
    result = terraform(TERRAFORM_DIR, "fmt", "-check", "-diff", "-recursive", check=False)
    assert result.returncode == 0, f"terraform fmt would change:\n{result.stdout}"


def test_terraform_validate_passes(terraform: Terraform, terraform_workdir) -> None:
    result = terraform(terraform_workdir(), "validate", "-json")
    report = json.loads(result.stdout)
    assert report["valid"] is True
    assert report["error_count"] == 0
    assert report["warning_count"] == 0, report["diagnostics"]


def test_terraform_leaves_no_state_in_the_repository() -> None:
    assert not (TERRAFORM_DIR / ".terraform").exists()
    assert not list(TERRAFORM_DIR.glob("*.tfstate*"))


@pytest.fixture(scope="module", params=["default", "scale_out"])
def checkov_report(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict:
    """checkov on the default layout, and with scale_out = true: it skips the
    checks of resources whose count is 0 under the variables it evaluates."""
    if not CHECKOV.exists():
        pytest.skip(
            f"checkov is not installed in {CHECKOV.parent.parent}: run scripts/install_checkov.sh"
        )
    variables: list[str] = []
    if request.param == "scale_out":
        var_file = tmp_path_factory.mktemp("checkov") / "scale_out.tfvars"
        var_file.write_text("scale_out = true\n")
        variables = ["--var-file", str(var_file)]
    result = subprocess.run(
        [
            str(CHECKOV),
            "-d",
            str(TERRAFORM_DIR),
            "--framework",
            "terraform",
            "--output",
            "json",
            "--skip-download",
            *variables,
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    return report[0] if isinstance(report, list) else report


def test_checkov_reports_no_failed_checks(checkov_report: dict) -> None:
    failed = [
        f"{check['check_id']} {check['resource']} ({check['file_path']})"
        for check in checkov_report["results"]["failed_checks"]
    ]
    assert failed == []
    assert checkov_report["summary"]["passed"] > 150  # it really scanned the resources


def test_checkov_scans_the_scale_out_resources_when_they_are_on(checkov_report: dict) -> None:
    checked = {check["resource"] for check in checkov_report["results"]["passed_checks"]}
    scale_out = {"aws_db_instance.database[0]", "aws_autoscaling_group.worker[0]"}
    if "aws_instance.app[0]" in checked:  # the default layout
        assert not scale_out & checked
    else:
        assert scale_out <= checked
        database_checks = {
            check["check_id"]
            for check in checkov_report["results"]["passed_checks"]
            if check["resource"] == "aws_db_instance.database[0]"
        }
        # encrypted, not public, backups, Multi-AZ, deletion protection, TLS only
        expected = {"CKV_AWS_16", "CKV_AWS_17", "CKV_AWS_133", "CKV_AWS_157", "CKV_AWS_293"}
        assert expected | {"CKV2_AWS_69"} <= database_checks


def test_checkov_skips_all_carry_a_reason_in_the_code(checkov_report: dict) -> None:
    skipped = checkov_report["results"]["skipped_checks"]
    assert skipped, "expected the documented skips (port 80 redirect, SSE-S3, ...)"
    for check in skipped:
        reason = check["check_result"].get("suppress_comment", "")
        assert len(reason) > 20, (
            f"{check['check_id']} on {check['resource']} is skipped without a reason"
        )


# ---------------------------------------------------------------- instance


def test_instance_sits_in_a_private_subnet_without_a_public_ip(
    terraform_config: TerraformConfig,
) -> None:
    instance = terraform_config.resource("aws_instance", "app")
    assert instance["associate_public_ip_address"] is False
    assert instance["subnet_id"] == "${aws_subnet.private[0].id}"
    private = terraform_config.resource("aws_subnet", "private")
    assert private["map_public_ip_on_launch"] is False
    associations = terraform_config.resource("aws_route_table_association", "private")
    assert associations["route_table_id"] == "${aws_route_table.private[count.index].id}"


def test_instance_is_hardened(terraform_config: TerraformConfig) -> None:
    instance = terraform_config.resource("aws_instance", "app")
    metadata = instance["metadata_options"][0]
    assert metadata["http_tokens"] == "required"
    assert metadata["http_endpoint"] == "enabled"
    root = instance["root_block_device"][0]
    assert root["encrypted"] is True
    assert instance["iam_instance_profile"] == "${aws_iam_instance_profile.instance.name}"
    assert "key_name" not in instance
    assert instance["vpc_security_group_ids"] == ["${aws_security_group.instance.id}"]


def test_user_data_is_the_init_script_with_nothing_templated(
    terraform_config: TerraformConfig,
) -> None:
    instance = terraform_config.resource("aws_instance", "app")
    assert instance["user_data"] == '${file("${path.module}/../instance_init.sh")}'


# ---------------------------------------------------------------- security groups


def _rules(config: TerraformConfig, kind: str, group: str) -> dict[str, dict]:
    return {
        name: rule
        for name, rule in config.resources.get(kind, {}).items()
        if rule["security_group_id"] == f"${{aws_security_group.{group}.id}}"
    }


def test_instance_only_ingress_is_the_app_port_from_the_alb(
    terraform_config: TerraformConfig,
) -> None:
    assert "ingress" not in terraform_config.resource("aws_security_group", "instance")
    ingress = _rules(terraform_config, "aws_vpc_security_group_ingress_rule", "instance")
    assert list(ingress) == ["instance_from_alb"]
    rule = ingress["instance_from_alb"]
    assert (rule["ip_protocol"], rule["from_port"], rule["to_port"]) == (
        "tcp",
        "${var.app_port}",
        "${var.app_port}",
    )
    assert rule["referenced_security_group_id"] == "${aws_security_group.alb.id}"
    assert "cidr_ipv4" not in rule
    assert terraform_config.variables["app_port"]["default"] == 8000


def test_no_security_group_rule_opens_ssh(terraform_config: TerraformConfig) -> None:
    ports = [
        (rule["from_port"], rule["to_port"])
        for kind in ("aws_vpc_security_group_ingress_rule", "aws_security_group_rule")
        for rule in terraform_config.resources.get(kind, {}).values()
    ]
    assert ports, "no ingress rules found at all"
    assert all(not (isinstance(low, int) and low <= 22 <= high) for low, high in ports)


def test_interface_endpoints_accept_https_from_the_instances_only(
    terraform_config: TerraformConfig,
) -> None:
    ingress = _rules(terraform_config, "aws_vpc_security_group_ingress_rule", "endpoints")
    assert {name: rule["referenced_security_group_id"] for name, rule in ingress.items()} == {
        "endpoints_from_instance": "${aws_security_group.instance.id}",
        "endpoints_from_workers": "${aws_security_group.worker[0].id}",  # scale_out only
    }
    assert ingress["endpoints_from_workers"]["count"] == "${var.scale_out ? 1 : 0}"
    for rule in ingress.values():
        assert (rule["from_port"], rule["to_port"]) == (443, 443)
        assert "cidr_ipv4" not in rule


# ---------------------------------------------------------------- network


def test_private_route_tables_default_route_is_the_nat_gateway(
    terraform_config: TerraformConfig,
) -> None:
    route = terraform_config.resource("aws_route", "private_nat")
    assert route["destination_cidr_block"] == "0.0.0.0/0"
    assert route["route_table_id"] == "${aws_route_table.private[count.index].id}"
    assert (
        route["nat_gateway_id"]
        == "${aws_nat_gateway.main[var.nat_gateway_per_az ? count.index : 0].id}"
    )
    assert "gateway_id" not in route
    nat = terraform_config.resource("aws_nat_gateway", "main")
    assert nat["allocation_id"] == "${aws_eip.nat[count.index].id}"
    assert nat["subnet_id"] == "${local.public_subnet_ids[count.index]}"


def test_public_route_table_default_route_is_the_internet_gateway(
    terraform_config: TerraformConfig,
) -> None:
    route = terraform_config.resource("aws_route", "public_internet")
    assert route["destination_cidr_block"] == "0.0.0.0/0"
    assert route["gateway_id"] == "${aws_internet_gateway.main[0].id}"
    assert route["route_table_id"] == "${aws_route_table.public[0].id}"


def test_s3_gateway_endpoint_is_on_the_private_route_tables(
    terraform_config: TerraformConfig,
) -> None:
    endpoint = terraform_config.resource("aws_vpc_endpoint", "s3")
    assert endpoint["vpc_endpoint_type"] == "Gateway"
    assert endpoint["service_name"] == "com.amazonaws.${var.aws_region}.s3"
    assert endpoint["route_table_ids"] == "${aws_route_table.private[*].id}"


def test_ssm_interface_endpoints_have_private_dns(terraform_config: TerraformConfig) -> None:
    endpoint = terraform_config.resource("aws_vpc_endpoint", "interface")
    assert endpoint["vpc_endpoint_type"] == "Interface"
    assert endpoint["private_dns_enabled"] is True
    assert endpoint["subnet_ids"] == "${local.private_subnet_ids}"
    assert endpoint["security_group_ids"] == ["${aws_security_group.endpoints.id}"]
    services = terraform_config.locals["interface_endpoint_services"]
    assert 'var.enable_ssm_endpoints ? ["ssm", "ec2messages", "ssmmessages"]' in services


def test_network_options_can_be_switched_and_default_to_option_1(
    terraform_config: TerraformConfig,
) -> None:
    defaults = {
        name: terraform_config.variables[name]["default"]
        for name in (
            "create_vpc",
            "enable_nat_gateway",
            "nat_gateway_per_az",
            "enable_s3_gateway_endpoint",
            "enable_ssm_endpoints",
            "enable_ecr_endpoints",
            "enable_flow_logs",
        )
    }
    assert defaults == {
        "create_vpc": False,
        "enable_nat_gateway": True,
        "nat_gateway_per_az": False,
        "enable_s3_gateway_endpoint": True,
        "enable_ssm_endpoints": True,
        "enable_ecr_endpoints": False,
        "enable_flow_logs": True,
    }


def test_flow_logs_go_to_cloudwatch_with_a_retention(terraform_config: TerraformConfig) -> None:
    flow_log = terraform_config.resource("aws_flow_log", "vpc")
    assert flow_log["vpc_id"] == "${local.vpc_id}"
    assert flow_log["traffic_type"] == "ALL"
    assert flow_log["log_destination_type"] == "cloud-watch-logs"
    group = terraform_config.resource("aws_cloudwatch_log_group", "flow_logs")
    assert group["retention_in_days"] == "${var.flow_log_retention_days}"
    assert terraform_config.variables["flow_log_retention_days"]["default"] == 365


# ---------------------------------------------------------------- load balancer


def test_alb_serves_https_redirects_http_and_checks_health(
    terraform_config: TerraformConfig,
) -> None:
    https = terraform_config.resource("aws_lb_listener", "https")
    assert (https["port"], https["protocol"]) == (443, "HTTPS")
    assert https["certificate_arn"] == "${var.certificate_arn}"
    assert https["default_action"][0]["type"] == "forward"
    redirect = terraform_config.resource("aws_lb_listener", "http_redirect")
    assert (redirect["port"], redirect["protocol"]) == (80, "HTTP")
    action = redirect["default_action"][0]
    assert action["type"] == "redirect"
    assert action["redirect"][0] == {"protocol": "HTTPS", "port": "443", "status_code": "HTTP_301"}
    health = terraform_config.resource("aws_lb_target_group", "app")["health_check"][0]
    assert (health["path"], health["matcher"]) == ("/health", "200")
    alb = terraform_config.resource("aws_lb", "app")
    assert alb["subnets"] == "${local.public_subnet_ids}"
    assert alb["access_logs"][0]["enabled"] == "${var.enable_access_logs}"


# ---------------------------------------------------------------- artifacts bucket


def test_artifacts_bucket_is_versioned_encrypted_and_private(
    terraform_config: TerraformConfig,
) -> None:
    versioning = terraform_config.resource("aws_s3_bucket_versioning", "artifacts")
    assert versioning["versioning_configuration"][0]["status"] == "Enabled"
    encryption = terraform_config.resource(
        "aws_s3_bucket_server_side_encryption_configuration", "artifacts"
    )
    assert (
        encryption["rule"][0]["apply_server_side_encryption_by_default"][0]["sse_algorithm"]
        == "AES256"
    )
    block = terraform_config.resource("aws_s3_bucket_public_access_block", "artifacts")
    assert {
        key: block[key]
        for key in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        )
    } == dict.fromkeys(
        (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        ),
        True,
    )
    policy = terraform_config.resource("aws_s3_bucket_policy", "artifacts")
    assert policy["policy"] == '${data.aws_iam_policy_document.tls_only["artifacts"].json}'
    deny = terraform_config.data["aws_iam_policy_document"]["tls_only"]["statement"][0]
    assert deny["effect"] == "Deny"
    assert deny["condition"][0] == {
        "test": "Bool",
        "variable": "aws:SecureTransport",
        "values": ["false"],
    }


def test_artifacts_lifecycle_is_30_90_365_days(terraform_config: TerraformConfig) -> None:
    rule = terraform_config.resource("aws_s3_bucket_lifecycle_configuration", "artifacts")["rule"][
        0
    ]
    assert rule["status"] == "Enabled"
    transitions = [(t["days"], t["storage_class"]) for t in rule["transition"]]
    assert transitions == [
        ("${var.artifacts_infrequent_access_days}", "STANDARD_IA"),
        ("${var.artifacts_glacier_days}", "GLACIER"),
    ]
    assert rule["expiration"][0]["days"] == "${var.artifacts_expiration_days}"
    defaults = [
        terraform_config.variables[name]["default"]
        for name in (
            "artifacts_infrequent_access_days",
            "artifacts_glacier_days",
            "artifacts_expiration_days",
        )
    ]
    assert defaults == [30, 90, 365]


# ---------------------------------------------------------------- IAM


def _statements(config: TerraformConfig, document: str) -> dict[str, dict]:
    return {
        statement["sid"]: statement
        for statement in config.data["aws_iam_policy_document"][document]["statement"]
    }


def test_instance_role_actions_are_exactly_the_listed_ones(
    terraform_config: TerraformConfig,
) -> None:
    statements = _statements(terraform_config, "instance")
    assert {
        sid: sorted(statement["actions"]) for sid, statement in statements.items()
    } == INSTANCE_ROLE_ACTIONS
    assert all(statement.get("effect", "Allow") == "Allow" for statement in statements.values())
    assert statements["ReadModelArchive"]["resources"] == [
        "arn:${local.partition}:s3:::${var.models_bucket_name}/models/*"
    ]
    assert statements["ArtifactObjects"]["resources"] == [
        "${local.artifacts_bucket_arn}/${var.artifacts_prefix}*"
    ]
    listing = statements["ListArtifacts"]
    assert listing["resources"] == ["${local.artifacts_bucket_arn}"]
    assert listing["condition"][0]["variable"] == "s3:prefix"
    assert listing["condition"][0]["values"] == [
        "${var.artifacts_prefix}",
        "${var.artifacts_prefix}*",
    ]
    # The one "*": GetAuthorizationToken has no resource-level permissions.
    assert [sid for sid, s in statements.items() if s["resources"] == ["*"]] == ["EcrLogin"]

    attachments = terraform_config.resources["aws_iam_role_policy_attachment"]
    assert [
        a["policy_arn"]
        for a in attachments.values()
        if a["role"] == "${aws_iam_role.instance.name}"
    ] == ["arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"]
    inline = [
        p
        for p in terraform_config.resources["aws_iam_role_policy"].values()
        if p["role"] == "${aws_iam_role.instance.id}"
    ]
    assert [p["policy"] for p in inline] == [
        "${data.aws_iam_policy_document.instance.json}",
        "${data.aws_iam_policy_document.queue_metrics.json}",
    ]
    assert inline[1]["count"] == "${var.scale_out ? 1 : 0}"  # the web group's metrics


def test_artifact_reader_role_is_read_only_and_optional(terraform_config: TerraformConfig) -> None:
    statements = _statements(terraform_config, "artifact_reader")
    assert {sid: statement["actions"] for sid, statement in statements.items()} == {
        "ReadArtifacts": ["s3:GetObject"],
        "ListArtifacts": ["s3:ListBucket"],
    }
    role = terraform_config.resource("aws_iam_role", "artifact_reader")
    assert role["count"] == "${length(var.artifact_reader_principal_arns) > 0 ? 1 : 0}"
    assert terraform_config.variables["artifact_reader_principal_arns"]["default"] == []


# ---------------------------------------------------------------- variables and docs


def test_every_variable_is_described_and_typed(terraform_config: TerraformConfig) -> None:
    assert len(terraform_config.variables) > 30
    for name, variable in terraform_config.variables.items():
        assert len(variable.get("description", "")) > 10, f"variable {name} has no description"
        assert "type" in variable, f"variable {name} has no type"


def test_example_tfvars_names_only_declared_variables(terraform_config: TerraformConfig) -> None:
    example = TERRAFORM_DIR / "terraform.tfvars.example"
    with example.open() as file:
        values = unquote(hcl2.load(file))
    assert set(values) <= set(terraform_config.variables)
    required = {
        name for name, variable in terraform_config.variables.items() if "default" not in variable
    }
    assert required <= set(values), (
        f"example is missing required variables {required - set(values)}"
    )


def test_readme_has_the_cost_table_and_verification_steps() -> None:
    readme = (Path(TERRAFORM_DIR).parent / "README.md").read_text()
    for phrase in (
        "$32",
        "$0.045/GB",
        "$7.30",
        "free",
        "aws ssm start-session",
        "model-status.json",
        "docker pull",
    ):
        assert phrase in readme, f"deploy/README.md does not mention {phrase!r}"
