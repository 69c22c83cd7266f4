# The instance role may do what the app and the init script need and no more:
#   Session Manager (AmazonSSMManagedInstanceCore; it also covers ssm:GetParameter
#   for the configuration parameters), read the model archive, read/write/delete
#   objects under the artifacts prefix, pull its images from ECR, read its two secrets.

locals {
  artifacts_bucket_arn = "arn:${local.partition}:s3:::${local.artifacts_bucket}"

  ecr_image_pattern = "^([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com/([^:@]+)"
  ecr_repository_arns = distinct([
    for image in [var.app_image, var.ollama_image] :
    format("arn:%s:ecr:%s:%s:repository/%s", local.partition, regex(local.ecr_image_pattern, image)[1], regex(local.ecr_image_pattern, image)[0], regex(local.ecr_image_pattern, image)[2])
    if can(regex(local.ecr_image_pattern, image))
  ])
}

data "aws_iam_policy_document" "instance_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "instance" {
  name               = "${local.name}-instance"
  assume_role_policy = data.aws_iam_policy_document.instance_assume.json
}

resource "aws_iam_role_policy_attachment" "instance_ssm_core" {
  role       = aws_iam_role.instance.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

data "aws_iam_policy_document" "instance" {
  statement {
    sid       = "ReadModelArchive"
    actions   = ["s3:GetObject"]
    resources = ["arn:${local.partition}:s3:::${var.models_bucket_name}/models/*"]
  }

  statement {
    sid       = "ArtifactObjects"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"]
    resources = ["${local.artifacts_bucket_arn}/${var.artifacts_prefix}*"]
  }

  statement {
    sid       = "ListArtifacts"
    actions   = ["s3:ListBucket"]
    resources = [local.artifacts_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [var.artifacts_prefix, "${var.artifacts_prefix}*"]
    }
  }

  statement {
    # GetAuthorizationToken has no resource to scope to; it only yields a login
    # that the statement below limits to our repositories.
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "PullImages"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = local.ecr_repository_arns
  }

  statement {
    sid       = "ReadAppSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.secret_key.arn, aws_secretsmanager_secret.database_url.arn]
  }
}

resource "aws_iam_role_policy" "instance" {
  name   = "ttb-app"
  role   = aws_iam_role.instance.id
  policy = data.aws_iam_policy_document.instance.json
}

# Every instance runs with this profile, in either layout: the checks on the
# network they need to start live here.
resource "aws_iam_instance_profile" "instance" {
  name = "${local.name}-instance"
  role = aws_iam_role.instance.name

  lifecycle {
    precondition {
      condition     = var.enable_nat_gateway || var.enable_ecr_endpoints
      error_message = "With enable_nat_gateway = false the instance can only pull images through ECR: set enable_ecr_endpoints = true and put ollama_image in ECR."
    }
    precondition {
      condition     = var.enable_nat_gateway || var.enable_ssm_endpoints
      error_message = "With enable_nat_gateway = false, Session Manager needs enable_ssm_endpoints = true, or the instance cannot be reached at all."
    }
    precondition {
      condition     = var.enable_nat_gateway || var.enable_s3_gateway_endpoint
      error_message = "With enable_nat_gateway = false the model download, ECR layers and Amazon Linux packages need enable_s3_gateway_endpoint = true."
    }
  }
}

# ---------------------------------------------------------------- artifact reader

# Read-only access to the stored artifacts for retrieval and analysis, assumed by
# the principals named in artifact_reader_principal_arns.
data "aws_iam_policy_document" "artifact_reader_assume" {
  count = length(var.artifact_reader_principal_arns) > 0 ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "AWS"
      identifiers = var.artifact_reader_principal_arns
    }
  }
}

resource "aws_iam_role" "artifact_reader" {
  count              = length(var.artifact_reader_principal_arns) > 0 ? 1 : 0
  name               = "${local.name}-artifact-reader"
  assume_role_policy = data.aws_iam_policy_document.artifact_reader_assume[0].json
}

data "aws_iam_policy_document" "artifact_reader" {
  statement {
    sid       = "ReadArtifacts"
    actions   = ["s3:GetObject"]
    resources = ["${local.artifacts_bucket_arn}/${var.artifacts_prefix}*"]
  }

  statement {
    sid       = "ListArtifacts"
    actions   = ["s3:ListBucket"]
    resources = [local.artifacts_bucket_arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [var.artifacts_prefix, "${var.artifacts_prefix}*"]
    }
  }
}

resource "aws_iam_role_policy" "artifact_reader" {
  count  = length(var.artifact_reader_principal_arns) > 0 ? 1 : 0
  name   = "read-artifacts"
  role   = aws_iam_role.artifact_reader[0].id
  policy = data.aws_iam_policy_document.artifact_reader.json
}

# ---------------------------------------------------------------- queue metrics (scale_out)

# The web instances put the queue's depth and age (publish_queue_metrics); the
# worker group scales on them. PutMetricData has no resource to scope to: the
# condition holds it to our namespace.
data "aws_iam_policy_document" "queue_metrics" {
  statement {
    sid       = "PutQueueMetrics"
    actions   = ["cloudwatch:PutMetricData"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "cloudwatch:namespace"
      values   = [var.queue_metrics_namespace]
    }
  }
}

resource "aws_iam_role_policy" "queue_metrics" {
  count  = var.scale_out ? 1 : 0
  name   = "ttb-queue-metrics"
  role   = aws_iam_role.instance.id
  policy = data.aws_iam_policy_document.queue_metrics.json
}
