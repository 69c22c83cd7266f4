# What the instance init script reads at boot. Plain settings are SSM parameters
# under /NAME/; the two secrets are Secrets Manager secrets whose values are put
# in by hand (README step 2), so they never pass through user data or Terraform state.

resource "aws_secretsmanager_secret" "secret_key" {
  #checkov:skip=CKV_AWS_149:The AWS-managed key encrypts it; only the instance role may read it, and a customer key would add $1/month and a key policy for no extra control.
  #checkov:skip=CKV2_AWS_57:Rotating Django's SECRET_KEY logs every user out; it is rotated by hand (README) rather than by a Lambda.
  name        = "${local.name}/secret-key"
  description = "Django SECRET_KEY for the TTB Label Verifier (value set outside Terraform)."
}

resource "aws_secretsmanager_secret" "database_url" {
  #checkov:skip=CKV_AWS_149:The AWS-managed key encrypts it; only the instance role may read it, and a customer key would add $1/month and a key policy for no extra control.
  #checkov:skip=CKV2_AWS_57:The database password is rotated with the database (README), not by a Lambda.
  name        = "${local.name}/database-url"
  description = "DATABASE_URL (postgres://...) for the TTB Label Verifier (value set outside Terraform)."
}

locals {
  app_settings = merge({
    app_image              = var.app_image
    ollama_image           = var.ollama_image
    ollama_model           = var.ollama_model
    allowed_hosts          = join(",", var.app_hostnames)
    csrf_trusted_origins   = join(",", [for host in var.app_hostnames : "https://${host}"])
    artifacts_bucket       = aws_s3_bucket.artifacts.bucket
    models_bucket          = var.models_bucket_name
    secret_key_secret_id   = aws_secretsmanager_secret.secret_key.arn
    database_url_secret_id = aws_secretsmanager_secret.database_url.arn
    app_port               = tostring(var.app_port)
    },
    # scale_out: the web instances' publish_queue_metrics timer reads it.
    var.scale_out ? { queue_metrics_namespace = var.queue_metrics_namespace } : {},
  )
}

resource "aws_ssm_parameter" "app" {
  #checkov:skip=CKV2_AWS_34:These are plain settings (image names, bucket names, host names); the secrets live in Secrets Manager.
  for_each    = local.app_settings
  name        = "${local.ssm_prefix}/${each.key}"
  type        = "String"
  value       = each.value
  description = "TTB Label Verifier setting read by instance_init.sh"
}
