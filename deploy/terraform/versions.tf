terraform {
  # 1.9: variable validations may refer to other variables; 1.11: write-only
  # arguments (the database password, scale_out), fed by an ephemeral resource (1.10).
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.90: password_wo on aws_db_instance and secret_string_wo on secret versions.
      version = ">= 5.90, < 6.0"
    }
  }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = merge(var.tags, {
      Application = "ttb-label-verifier"
      ManagedBy   = "terraform"
    })
  }
}

data "aws_partition" "current" {}

data "aws_caller_identity" "current" {}

data "aws_availability_zones" "available" {
  #checkov:skip=CKV_AWS_394:Only the first az_count names (sorted) are used, so a zone AWS adds later never changes which zones hold the subnets.
  state = "available"
}

locals {
  name      = var.name
  partition = data.aws_partition.current.partition
  account   = data.aws_caller_identity.current.account_id
  azs       = slice(data.aws_availability_zones.available.names, 0, var.az_count)

  # The instance reads its configuration from SSM parameters under this path; it
  # finds the path in its own tag (instance metadata tags), so user data holds none.
  ssm_prefix = "/${var.name}"
}
