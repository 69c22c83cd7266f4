output "vpc_id" {
  description = "VPC the deployment lives in (created, or the default VPC)."
  value       = local.vpc_id
}

output "public_subnet_ids" {
  description = "Subnets of the ALB and NAT gateway."
  value       = local.public_subnet_ids
}

output "private_subnet_ids" {
  description = "Subnets without a route from the internet; the instance is in the first."
  value       = local.private_subnet_ids
}

output "nat_gateway_public_ips" {
  description = "Addresses the instance's outbound internet traffic comes from (for allow-lists)."
  value       = aws_eip.nat[*].public_ip
}

output "vpc_endpoint_ids" {
  description = "VPC endpoint IDs by service."
  value = merge(
    { for service, endpoint in aws_vpc_endpoint.interface : service => endpoint.id },
    var.enable_s3_gateway_endpoint ? { s3 = aws_vpc_endpoint.s3[0].id } : {},
  )
}

output "instance_id" {
  description = "The app instance; reach it with: aws ssm start-session --target INSTANCE_ID. null with scale_out (see autoscaling_groups)."
  value       = one(aws_instance.app[*].id)
}

output "instance_private_ip" {
  description = "The instance's only address (it has no public one). null with scale_out."
  value       = one(aws_instance.app[*].private_ip)
}

output "autoscaling_groups" {
  description = "scale_out: the web and worker Auto Scaling Groups (list their instances with aws autoscaling describe-auto-scaling-groups). null without."
  value       = var.scale_out ? { web = aws_autoscaling_group.web[0].name, worker = aws_autoscaling_group.worker[0].name } : null
}

output "database_endpoint" {
  description = "scale_out: the RDS PostgreSQL address and port (DATABASE_URL's host; the secret holds the whole URL). null without."
  value       = var.scale_out ? aws_db_instance.database[0].endpoint : null
}

output "queue_metrics" {
  description = "scale_out: where publish_queue_metrics puts QueueDepth and OldestReadyAgeSeconds. null without."
  value       = var.scale_out ? { namespace = var.queue_metrics_namespace, dimensions = { Deployment = var.name } } : null
}

output "instance_role_arn" {
  description = "IAM role of the instance."
  value       = aws_iam_role.instance.arn
}

output "alb_dns_name" {
  description = "Point the app_hostnames' DNS records (CNAME or alias) here."
  value       = aws_lb.app.dns_name
}

output "alb_zone_id" {
  description = "Hosted zone of the ALB, for Route 53 alias records."
  value       = aws_lb.app.zone_id
}

output "artifacts_bucket" {
  description = "Bucket the app stores artifacts in (ARTIFACT_S3_BUCKET)."
  value       = aws_s3_bucket.artifacts.bucket
}

output "logs_bucket" {
  description = "Bucket holding ALB and S3 access logs, when enable_access_logs is on."
  value       = var.enable_access_logs ? aws_s3_bucket.logs[0].bucket : null
}

output "artifact_reader_role_arn" {
  description = "Read-only artifact role, when artifact_reader_principal_arns is set."
  value       = length(aws_iam_role.artifact_reader) > 0 ? aws_iam_role.artifact_reader[0].arn : null
}

output "config_parameter_path" {
  description = "SSM parameter path the instance reads its settings from."
  value       = local.ssm_prefix
}

output "secret_ids" {
  description = "Secrets to fill in before the app can start (README step 2)."
  value = {
    secret_key   = aws_secretsmanager_secret.secret_key.arn
    database_url = aws_secretsmanager_secret.database_url.arn
  }
}
