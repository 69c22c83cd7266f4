# scale_out: the PostgreSQL database on RDS, in the private subnets, reachable from
# the web and worker groups only. Terraform writes the DATABASE_URL secret itself:
# a random password (Secrets Manager's generator, an ephemeral value) goes to RDS
# and into the secret through write-only arguments, so it is never in the plan or
# the state. Raise database_password_version to change it.

locals {
  database_name     = "ttb"
  database_username = "ttb"
}

resource "aws_db_subnet_group" "database" {
  count       = var.scale_out ? 1 : 0
  name        = "${local.name}-database"
  description = "Private subnets of the TTB Label Verifier database"
  subnet_ids  = local.private_subnet_ids
}

resource "aws_db_parameter_group" "database" {
  count       = var.scale_out ? 1 : 0
  name        = "${local.name}-postgres${var.database_engine_version}"
  family      = "postgres${var.database_engine_version}"
  description = "TTB Label Verifier: TLS only, slow statements and connections logged"

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
  parameter {
    name  = "log_min_duration_statement"
    value = "1000" # ms: queue claims take a few; anything near a second is worth a look
  }
  parameter {
    name  = "log_connections"
    value = "1"
  }
  parameter {
    name  = "log_disconnections"
    value = "1"
  }
}

ephemeral "aws_secretsmanager_random_password" "database" {
  count               = var.scale_out ? 1 : 0
  password_length     = 40
  exclude_punctuation = true # it goes into a URL unescaped
}

resource "aws_db_instance" "database" {
  #checkov:skip=CKV_AWS_118:Performance Insights (on) and RDS's standard metrics cover a queue database; enhanced monitoring needs another IAM role and bills CloudWatch Logs per instance.
  #checkov:skip=CKV_AWS_354:Performance Insights data is encrypted with the AWS-managed RDS key, as the storage is; a customer key adds $1/month and a key policy for no extra control.
  count      = var.scale_out ? 1 : 0
  identifier = "${local.name}-database"

  engine                     = "postgres"
  engine_version             = var.database_engine_version
  auto_minor_version_upgrade = true
  instance_class             = var.database_instance_class
  parameter_group_name       = aws_db_parameter_group.database[0].name

  db_name                             = local.database_name
  username                            = local.database_username
  password_wo                         = ephemeral.aws_secretsmanager_random_password.database[0].random_password
  password_wo_version                 = var.database_password_version
  iam_database_authentication_enabled = true
  port                                = var.database_port

  allocated_storage     = var.database_allocated_storage_gb
  max_allocated_storage = var.database_max_allocated_storage_gb
  storage_type          = "gp3"
  storage_encrypted     = true

  db_subnet_group_name   = aws_db_subnet_group.database[0].name
  vpc_security_group_ids = [aws_security_group.database[0].id]
  publicly_accessible    = false
  multi_az               = var.database_multi_az

  backup_retention_period   = var.database_backup_retention_days
  copy_tags_to_snapshot     = true
  deletion_protection       = var.database_deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${local.name}-database-final"

  performance_insights_enabled    = true
  enabled_cloudwatch_logs_exports = ["postgresql", "upgrade"]

  tags = { Name = "${local.name}-database" }
}

# The instances read DATABASE_URL from this secret at boot (instance_init.sh), as
# in the single-instance layout, where the operator puts the value by hand.
resource "aws_secretsmanager_secret_version" "database_url" {
  count                    = var.scale_out ? 1 : 0
  secret_id                = aws_secretsmanager_secret.database_url.id
  secret_string_wo         = "postgres://${local.database_username}:${ephemeral.aws_secretsmanager_random_password.database[0].random_password}@${aws_db_instance.database[0].address}:${aws_db_instance.database[0].port}/${local.database_name}?sslmode=require"
  secret_string_wo_version = var.database_password_version
}
