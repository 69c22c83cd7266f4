# S3 gateway endpoint: free, and keeps the model download, artifact traffic, ECR
# image layers and Amazon Linux repositories off the NAT gateway's per-GB charge.
resource "aws_vpc_endpoint" "s3" {
  count             = var.enable_s3_gateway_endpoint ? 1 : 0
  vpc_id            = local.vpc_id
  service_name      = "com.amazonaws.${var.aws_region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id

  tags = { Name = "${local.name}-s3" }
}

locals {
  interface_endpoint_services = toset(concat(
    var.enable_ssm_endpoints ? ["ssm", "ec2messages", "ssmmessages"] : [],
    var.enable_ecr_endpoints ? ["ecr.api", "ecr.dkr"] : [],
    # scale_out: the queue metrics reach CloudWatch without the NAT.
    var.scale_out ? ["monitoring"] : [],
  ))
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = local.interface_endpoint_services
  vpc_id              = local.vpc_id
  service_name        = "com.amazonaws.${var.aws_region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = local.private_subnet_ids
  security_group_ids  = [aws_security_group.endpoints.id]

  tags = { Name = "${local.name}-${each.key}" }
}
