# scale_out: the web instances and the task workers as two Auto Scaling Groups in
# the private subnets (one per AZ of az_count, so at least two AZs), from launch
# templates built like the single instance: the same image, the same init script
# as user data (no templating), the same instance profile, IMDSv2 only, no public
# address. The instance's ttb-role tag tells the init script what to run.
#
#   web     gunicorn, Ollama and the model, behind the ALB; publishes the queue
#           metrics every minute. Scales on CPU.
#   worker  one db_worker per vCPU, nothing else. Scales on ready labels per
#           worker instance (QueueDepth / GroupInServiceInstances).

locals {
  instance_groups = {
    for role, group in {
      web = {
        instance_type  = var.instance_type
        security_group = aws_security_group.instance.id
        volume_size_gb = var.root_volume_size_gb
      }
      worker = {
        instance_type  = var.worker_instance_type
        security_group = one(aws_security_group.worker[*].id)
        volume_size_gb = 40 # the app image only: no model
      }
    } : role => group if var.scale_out
  }
}

resource "aws_launch_template" "group" {
  #checkov:skip=CKV_AWS_341:The containers reach the instance role's credentials through the Docker bridge, one more hop: the limit is 2, as on the single instance. IMDSv2 stays required.
  for_each               = local.instance_groups
  name                   = "${local.name}-${each.key}"
  description            = "TTB Label Verifier ${each.key} instances"
  image_id               = local.ami_id
  instance_type          = each.value.instance_type
  ebs_optimized          = true
  update_default_version = true
  user_data              = base64encode(file("${path.module}/../instance_init.sh"))

  iam_instance_profile {
    arn = aws_iam_instance_profile.instance.arn
  }

  network_interfaces {
    associate_public_ip_address = false
    delete_on_termination       = true
    security_groups             = [each.value.security_group]
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required" # IMDSv2 only
    http_put_response_hop_limit = 2
    instance_metadata_tags      = "enabled"
  }

  monitoring {
    enabled = true
  }

  block_device_mappings {
    device_name = "/dev/xvda" # Amazon Linux 2023's root
    ebs {
      volume_type           = "gp3"
      volume_size           = each.value.volume_size_gb
      encrypted             = true
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags = {
      Name              = "${local.name}-${each.key}"
      "ttb-config-path" = local.ssm_prefix
      "ttb-role"        = each.key
    }
  }

  tag_specifications {
    resource_type = "volume"
    tags          = { Name = "${local.name}-${each.key}" }
  }
}

# ---------------------------------------------------------------- web

resource "aws_autoscaling_group" "web" {
  count                     = var.scale_out ? 1 : 0
  name                      = "${local.name}-web"
  vpc_zone_identifier       = local.private_subnet_ids
  min_size                  = var.web_min_size
  max_size                  = var.web_max_size
  target_group_arns         = [aws_lb_target_group.app.arn]
  health_check_type         = "ELB"
  health_check_grace_period = var.web_health_check_grace_seconds

  launch_template {
    id      = aws_launch_template.group["web"].id
    version = aws_launch_template.group["web"].latest_version
  }

  # A new launch template (image, instance type, init script) replaces the web
  # instances a few at a time, keeping half of them serving.
  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 50
    }
  }

  tag {
    key                 = "Name"
    value               = "${local.name}-web"
    propagate_at_launch = true
  }

  depends_on = [
    aws_route.private_nat,
    aws_vpc_endpoint.s3,
    aws_vpc_endpoint.interface,
    aws_ssm_parameter.app,
    aws_secretsmanager_secret_version.database_url,
  ]
}

resource "aws_autoscaling_policy" "web_cpu" {
  count                  = var.scale_out ? 1 : 0
  name                   = "${local.name}-web-cpu"
  autoscaling_group_name = aws_autoscaling_group.web[0].name
  policy_type            = "TargetTrackingScaling"

  target_tracking_configuration {
    target_value = 60
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
  }
}

# ---------------------------------------------------------------- workers

resource "aws_autoscaling_group" "worker" {
  count               = var.scale_out ? 1 : 0
  name                = "${local.name}-worker"
  vpc_zone_identifier = local.private_subnet_ids
  min_size            = var.worker_min_size
  max_size            = var.worker_max_size
  health_check_type   = "EC2"
  # The scaling metric divides the queue by this.
  enabled_metrics     = ["GroupInServiceInstances"]
  metrics_granularity = "1Minute"

  launch_template {
    id      = aws_launch_template.group["worker"].id
    version = aws_launch_template.group["worker"].latest_version
  }

  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 50
    }
  }

  tag {
    key                 = "Name"
    value               = "${local.name}-worker"
    propagate_at_launch = true
  }

  depends_on = [
    aws_route.private_nat,
    aws_vpc_endpoint.s3,
    aws_vpc_endpoint.interface,
    aws_ssm_parameter.app,
    aws_secretsmanager_secret_version.database_url,
  ]
}

# Keeps QueueDepth / GroupInServiceInstances near the target: a queue of 3,000
# ready labels with a target of 600 asks for 5 worker instances. The queue wait
# this gives is about target / (one instance's labels/s): deploy/README.md.
resource "aws_autoscaling_policy" "worker_queue" {
  count                     = var.scale_out ? 1 : 0
  name                      = "${local.name}-worker-queue-depth"
  autoscaling_group_name    = aws_autoscaling_group.worker[0].name
  policy_type               = "TargetTrackingScaling"
  estimated_instance_warmup = 300

  target_tracking_configuration {
    target_value = var.worker_target_backlog_per_instance

    customized_metric_specification {
      metrics {
        id          = "depth"
        label       = "Ready labels (QueueDepth)"
        return_data = false
        metric_stat {
          stat = "Average"
          metric {
            namespace   = var.queue_metrics_namespace
            metric_name = "QueueDepth"
            dimensions {
              name  = "Deployment"
              value = var.name
            }
          }
        }
      }
      metrics {
        id          = "workers"
        label       = "Worker instances in service"
        return_data = false
        metric_stat {
          stat = "Average"
          metric {
            namespace   = "AWS/AutoScaling"
            metric_name = "GroupInServiceInstances"
            dimensions {
              name  = "AutoScalingGroupName"
              value = aws_autoscaling_group.worker[0].name
            }
          }
        }
      }
      metrics {
        id          = "backlog"
        label       = "Ready labels per worker instance"
        expression  = "depth / workers"
        return_data = true
      }
    }
  }
}
