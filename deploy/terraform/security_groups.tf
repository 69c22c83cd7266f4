# Three groups, each opening only what the next hop needs:
#   internet --80/443--> alb --app_port--> instance --443--> endpoints

resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "TTB Label Verifier load balancer: HTTPS (and HTTP to redirect) in, app port to the instance out"
  vpc_id      = local.vpc_id

  tags = { Name = "${local.name}-alb" }
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  for_each          = toset(var.alb_ingress_cidrs)
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from clients"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  #checkov:skip=CKV_AWS_260:Port 80 only answers with a 301 to HTTPS (listener "http_redirect"); closing it would turn typed http:// URLs into timeouts.
  for_each          = toset(var.alb_ingress_cidrs)
  security_group_id = aws_security_group.alb.id
  description       = "HTTP from clients, redirected to HTTPS"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_egress_rule" "alb_to_instance" {
  security_group_id            = aws_security_group.alb.id
  description                  = "App port on the instance"
  ip_protocol                  = "tcp"
  from_port                    = var.app_port
  to_port                      = var.app_port
  referenced_security_group_id = aws_security_group.instance.id
}

resource "aws_security_group" "instance" {
  name        = "${local.name}-instance"
  description = "TTB Label Verifier instance: app port from the ALB only; no SSH"
  vpc_id      = local.vpc_id

  tags = { Name = "${local.name}-instance" }
}

resource "aws_vpc_security_group_ingress_rule" "instance_from_alb" {
  security_group_id            = aws_security_group.instance.id
  description                  = "App port from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = var.app_port
  to_port                      = var.app_port
  referenced_security_group_id = aws_security_group.alb.id
}

resource "aws_vpc_security_group_egress_rule" "instance_https" {
  security_group_id = aws_security_group.instance.id
  description       = "HTTPS to AWS APIs, ECR, S3 and the NAT gateway"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "instance_database" {
  security_group_id = aws_security_group.instance.id
  description       = "PostgreSQL inside the VPC"
  ip_protocol       = "tcp"
  from_port         = var.database_port
  to_port           = var.database_port
  cidr_ipv4         = local.vpc_cidr
}

resource "aws_security_group" "endpoints" {
  name        = "${local.name}-endpoints"
  description = "TTB Label Verifier VPC interface endpoints: HTTPS from the instance only"
  vpc_id      = local.vpc_id

  tags = { Name = "${local.name}-endpoints" }
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_instance" {
  security_group_id            = aws_security_group.endpoints.id
  description                  = "HTTPS from the instance"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.instance.id
}

# ---------------------------------------------------------------- scale_out
#   workers --443--> endpoints, NAT      instance (web) and workers --5432--> database

resource "aws_security_group" "worker" {
  count       = var.scale_out ? 1 : 0
  name        = "${local.name}-worker"
  description = "TTB Label Verifier task workers: nothing in; HTTPS and the database out"
  vpc_id      = local.vpc_id

  tags = { Name = "${local.name}-worker" }
}

resource "aws_vpc_security_group_egress_rule" "worker_https" {
  count             = var.scale_out ? 1 : 0
  security_group_id = aws_security_group.worker[0].id
  description       = "HTTPS to AWS APIs, ECR, S3 and the NAT gateway"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "worker_database" {
  count                        = var.scale_out ? 1 : 0
  security_group_id            = aws_security_group.worker[0].id
  description                  = "PostgreSQL on the RDS database"
  ip_protocol                  = "tcp"
  from_port                    = var.database_port
  to_port                      = var.database_port
  referenced_security_group_id = aws_security_group.database[0].id
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_workers" {
  count                        = var.scale_out ? 1 : 0
  security_group_id            = aws_security_group.endpoints.id
  description                  = "HTTPS from the task workers"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.worker[0].id
}

resource "aws_security_group" "database" {
  count       = var.scale_out ? 1 : 0
  name        = "${local.name}-database"
  description = "TTB Label Verifier database: PostgreSQL from the web and worker groups only"
  vpc_id      = local.vpc_id

  tags = { Name = "${local.name}-database" }
}

resource "aws_vpc_security_group_ingress_rule" "database_from_instance" {
  count                        = var.scale_out ? 1 : 0
  security_group_id            = aws_security_group.database[0].id
  description                  = "PostgreSQL from the web instances"
  ip_protocol                  = "tcp"
  from_port                    = var.database_port
  to_port                      = var.database_port
  referenced_security_group_id = aws_security_group.instance.id
}

resource "aws_vpc_security_group_ingress_rule" "database_from_workers" {
  count                        = var.scale_out ? 1 : 0
  security_group_id            = aws_security_group.database[0].id
  description                  = "PostgreSQL from the task workers"
  ip_protocol                  = "tcp"
  from_port                    = var.database_port
  to_port                      = var.database_port
  referenced_security_group_id = aws_security_group.worker[0].id
}
