# The artifacts bucket holds what the app keeps of each verification (uploaded
# labels and results, per the app's retention setting); the log bucket holds the
# ALB's access logs and the artifacts bucket's S3 server access logs.

locals {
  artifacts_bucket = coalesce(var.artifacts_bucket_name, "${local.name}-artifacts-${local.account}")
  logs_bucket      = "${local.name}-logs-${local.account}"
}

resource "aws_s3_bucket" "artifacts" {
  #checkov:skip=CKV_AWS_144:Artifacts are working copies with a one-year life; a second-region copy doubles cost and the data-handling review for no recovery need.
  #checkov:skip=CKV_AWS_145:SSE-S3 (AES256) is the agreed default; a KMS key adds per-request cost and a key policy to keep in step with the instance role.
  #checkov:skip=CKV2_AWS_62:Nothing consumes object events; the app records every write in its own audit table.
  bucket = local.artifacts_bucket
}

resource "aws_s3_bucket_ownership_controls" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "artifacts" {
  bucket                  = aws_s3_bucket.artifacts.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id

  rule {
    id     = "age-out-artifacts"
    status = "Enabled"
    filter {}

    transition {
      days          = var.artifacts_infrequent_access_days
      storage_class = "STANDARD_IA"
    }
    transition {
      days          = var.artifacts_glacier_days
      storage_class = "GLACIER"
    }
    expiration {
      days = var.artifacts_expiration_days
    }
    noncurrent_version_expiration {
      noncurrent_days = var.artifacts_noncurrent_version_days
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.artifacts]
}

resource "aws_s3_bucket_policy" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  policy = data.aws_iam_policy_document.tls_only["artifacts"].json

  depends_on = [aws_s3_bucket_public_access_block.artifacts]
}

resource "aws_s3_bucket_logging" "artifacts" {
  count         = var.enable_access_logs ? 1 : 0
  bucket        = aws_s3_bucket.artifacts.id
  target_bucket = aws_s3_bucket.logs[0].id
  target_prefix = "s3/${local.artifacts_bucket}/"

  depends_on = [aws_s3_bucket_policy.logs] # S3 refuses a target it may not write to
}

# ---------------------------------------------------------------- log bucket

resource "aws_s3_bucket" "logs" {
  #checkov:skip=CKV_AWS_18:This is the access-log target; logging it into itself would loop.
  #checkov:skip=CKV_AWS_144:Access logs are kept for one year in one region; a replica doubles cost for no recovery need.
  #checkov:skip=CKV_AWS_145:ALB access logs can only be delivered to buckets encrypted with SSE-S3.
  #checkov:skip=CKV2_AWS_62:Nothing consumes log-delivery events.
  count  = var.enable_access_logs ? 1 : 0
  bucket = local.logs_bucket
}

resource "aws_s3_bucket_ownership_controls" "logs" {
  count  = var.enable_access_logs ? 1 : 0
  bucket = aws_s3_bucket.logs[0].id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "logs" {
  count                   = var.enable_access_logs ? 1 : 0
  bucket                  = aws_s3_bucket.logs[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "logs" {
  count  = var.enable_access_logs ? 1 : 0
  bucket = aws_s3_bucket.logs[0].id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  count  = var.enable_access_logs ? 1 : 0
  bucket = aws_s3_bucket.logs[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  count  = var.enable_access_logs ? 1 : 0
  bucket = aws_s3_bucket.logs[0].id

  rule {
    id     = "expire-logs"
    status = "Enabled"
    filter {}

    expiration {
      days = var.access_log_expiration_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 7
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.logs]
}

data "aws_elb_service_account" "current" {}

data "aws_iam_policy_document" "log_delivery" {
  count = var.enable_access_logs ? 1 : 0

  source_policy_documents = [data.aws_iam_policy_document.tls_only["logs"].json]

  # Regions from before August 2022 deliver ALB logs as the regional ELB account;
  # newer ones as the log-delivery service. Allow both, for this account's prefix only.
  statement {
    sid       = "AlbAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["arn:${local.partition}:s3:::${local.logs_bucket}/alb/AWSLogs/${local.account}/*"]
    principals {
      type        = "AWS"
      identifiers = [data.aws_elb_service_account.current.arn]
    }
  }
  statement {
    sid       = "AlbAccessLogsDeliveryService"
    actions   = ["s3:PutObject"]
    resources = ["arn:${local.partition}:s3:::${local.logs_bucket}/alb/AWSLogs/${local.account}/*"]
    principals {
      type        = "Service"
      identifiers = ["logdelivery.elasticloadbalancing.amazonaws.com"]
    }
  }
  statement {
    sid       = "S3ServerAccessLogs"
    actions   = ["s3:PutObject"]
    resources = ["arn:${local.partition}:s3:::${local.logs_bucket}/s3/${local.artifacts_bucket}/*"]
    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [aws_s3_bucket.artifacts.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  count  = var.enable_access_logs ? 1 : 0
  bucket = aws_s3_bucket.logs[0].id
  policy = data.aws_iam_policy_document.log_delivery[0].json

  depends_on = [aws_s3_bucket_public_access_block.logs]
}

# ---------------------------------------------------------------- TLS only

data "aws_iam_policy_document" "tls_only" {
  for_each = {
    artifacts = local.artifacts_bucket
    logs      = local.logs_bucket
  }

  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      "arn:${local.partition}:s3:::${each.value}",
      "arn:${local.partition}:s3:::${each.value}/*",
    ]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
