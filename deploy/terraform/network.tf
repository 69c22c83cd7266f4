# Two layouts share this file (README "Choosing an option"):
#   create_vpc = false  Option 1: the default VPC keeps its public subnets (ALB, NAT);
#                       private subnets, their route tables and the NAT are added.
#   create_vpc = true   Option 3: a new VPC with its own public and private subnets.
# Either way the instance lives in a private subnet whose only way out is the NAT
# gateway and the VPC endpoints.

data "aws_vpc" "default" {
  count   = var.create_vpc ? 0 : 1
  default = true
}

data "aws_subnet" "default_public" {
  count             = var.create_vpc ? 0 : var.az_count
  vpc_id            = data.aws_vpc.default[0].id
  availability_zone = local.azs[count.index]
  default_for_az    = true
}

resource "aws_vpc" "main" {
  #checkov:skip=CKV2_AWS_11:aws_flow_log.vpc logs this VPC (through local.vpc_id, which checkov's graph does not follow); enable_flow_logs turns it off only by choice.
  count                = var.create_vpc ? 1 : 0
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true # interface endpoints' private DNS needs both

  tags = { Name = local.name }
}

# A created VPC's default security group allows all traffic between its members;
# take its rules away so nothing can use it by accident.
resource "aws_default_security_group" "main" {
  count  = var.create_vpc ? 1 : 0
  vpc_id = aws_vpc.main[0].id

  tags = { Name = "${local.name}-default-unused" }
}

locals {
  vpc_id   = var.create_vpc ? aws_vpc.main[0].id : data.aws_vpc.default[0].id
  vpc_cidr = var.create_vpc ? aws_vpc.main[0].cidr_block : data.aws_vpc.default[0].cidr_block

  public_subnet_ids  = var.create_vpc ? aws_subnet.public[*].id : data.aws_subnet.default_public[*].id
  private_subnet_ids = aws_subnet.private[*].id

  nat_gateway_count = var.enable_nat_gateway ? (var.nat_gateway_per_az ? var.az_count : 1) : 0
}

resource "aws_internet_gateway" "main" {
  count  = var.create_vpc ? 1 : 0
  vpc_id = aws_vpc.main[0].id

  tags = { Name = local.name }
}

resource "aws_subnet" "public" {
  count                   = var.create_vpc ? var.az_count : 0
  vpc_id                  = aws_vpc.main[0].id
  availability_zone       = local.azs[count.index]
  cidr_block              = cidrsubnet(var.vpc_cidr, var.private_subnet_newbits, count.index)
  map_public_ip_on_launch = false # only the ALB and NAT live here, with their own addresses

  tags = { Name = "${local.name}-public-${local.azs[count.index]}", Tier = "public" }
}

resource "aws_route_table" "public" {
  count  = var.create_vpc ? 1 : 0
  vpc_id = aws_vpc.main[0].id

  tags = { Name = "${local.name}-public" }
}

resource "aws_route" "public_internet" {
  count                  = var.create_vpc ? 1 : 0
  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.main[0].id
}

resource "aws_route_table_association" "public" {
  count          = var.create_vpc ? var.az_count : 0
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_subnet" "private" {
  count                   = var.az_count
  vpc_id                  = local.vpc_id
  availability_zone       = local.azs[count.index]
  cidr_block              = cidrsubnet(local.vpc_cidr, var.private_subnet_newbits, 8 + count.index)
  map_public_ip_on_launch = false

  tags = { Name = "${local.name}-private-${local.azs[count.index]}", Tier = "private" }
}

resource "aws_eip" "nat" {
  count  = local.nat_gateway_count
  domain = "vpc"

  tags = { Name = "${local.name}-nat-${local.azs[count.index]}" }
}

resource "aws_nat_gateway" "main" {
  count         = local.nat_gateway_count
  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = local.public_subnet_ids[count.index]

  tags = { Name = "${local.name}-${local.azs[count.index]}" }

  depends_on = [aws_internet_gateway.main]
}

# One route table per private subnet, so a NAT gateway per AZ keeps each AZ's
# traffic in that AZ.
resource "aws_route_table" "private" {
  count  = var.az_count
  vpc_id = local.vpc_id

  tags = { Name = "${local.name}-private-${local.azs[count.index]}" }
}

resource "aws_route" "private_nat" {
  count                  = var.enable_nat_gateway ? var.az_count : 0
  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.main[var.nat_gateway_per_az ? count.index : 0].id
}

resource "aws_route_table_association" "private" {
  count          = var.az_count
  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

# ---------------------------------------------------------------- flow logs

resource "aws_flow_log" "vpc" {
  count                = var.enable_flow_logs ? 1 : 0
  vpc_id               = local.vpc_id
  traffic_type         = "ALL"
  log_destination_type = "cloud-watch-logs"
  log_destination      = aws_cloudwatch_log_group.flow_logs[0].arn
  iam_role_arn         = aws_iam_role.flow_logs[0].arn

  tags = { Name = "${local.name}-vpc" }
}

resource "aws_cloudwatch_log_group" "flow_logs" {
  #checkov:skip=CKV_AWS_158:Flow records carry addresses and ports, no content; the service-managed key encrypts them at rest without a $1/month key and its policy.
  count             = var.enable_flow_logs ? 1 : 0
  name              = "/vpc/${local.name}/flow-logs"
  retention_in_days = var.flow_log_retention_days
}

data "aws_iam_policy_document" "flow_logs_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  count              = var.enable_flow_logs ? 1 : 0
  name               = "${local.name}-flow-logs"
  assume_role_policy = data.aws_iam_policy_document.flow_logs_assume.json
}

data "aws_iam_policy_document" "flow_logs_write" {
  count = var.enable_flow_logs ? 1 : 0

  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.flow_logs[0].arn}:*"]
  }
}

resource "aws_iam_role_policy" "flow_logs" {
  count  = var.enable_flow_logs ? 1 : 0
  name   = "write-flow-logs"
  role   = aws_iam_role.flow_logs[0].id
  policy = data.aws_iam_policy_document.flow_logs_write[0].json
}
