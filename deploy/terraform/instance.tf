data "aws_ssm_parameter" "al2023" {
  count = var.ami_id == null ? 1 : 0
  name  = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

locals {
  ami_id = coalesce(var.ami_id, try(data.aws_ssm_parameter.al2023[0].insecure_value, null))
}

# The single-instance layout (scale_out = false); with scale_out the web and
# worker groups (autoscaling.tf) take its place.
resource "aws_instance" "app" {
  count                       = var.scale_out ? 0 : 1
  ami                         = local.ami_id
  instance_type               = var.instance_type
  subnet_id                   = aws_subnet.private[0].id
  associate_public_ip_address = false
  vpc_security_group_ids      = [aws_security_group.instance.id]
  iam_instance_profile        = aws_iam_instance_profile.instance.name
  ebs_optimized               = true
  monitoring                  = true

  # The script is the user data as it is: no secrets and no templating. It finds
  # its settings through the ttb-config-path tag below (instance metadata tags).
  user_data                   = file("${path.module}/../instance_init.sh")
  user_data_replace_on_change = false

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required" # IMDSv2 only
    # 2 hops: the containers reach the instance role's credentials through the
    # Docker bridge, which counts as one hop.
    http_put_response_hop_limit = 2
    instance_metadata_tags      = "enabled"
  }

  root_block_device {
    volume_type           = "gp3"
    volume_size           = var.root_volume_size_gb
    encrypted             = true
    delete_on_termination = true
  }

  tags = {
    Name              = local.name
    "ttb-config-path" = local.ssm_prefix
  }

  lifecycle {
    # A new Amazon Linux release must not replace the instance on an unrelated apply.
    ignore_changes = [ami]
  }

  depends_on = [
    aws_route.private_nat,
    aws_vpc_endpoint.s3,
    aws_vpc_endpoint.interface,
    aws_ssm_parameter.app,
  ]
}

moved {
  from = aws_instance.app
  to   = aws_instance.app[0]
}
