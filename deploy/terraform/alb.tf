resource "aws_lb" "app" {
  #checkov:skip=CKV2_AWS_28:WAF is the agency's call (from $5/month plus rules); attach a web ACL with aws_wafv2_web_acl_association when required.
  name                       = local.name
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = local.public_subnet_ids
  security_groups            = [aws_security_group.alb.id]
  drop_invalid_header_fields = true
  enable_deletion_protection = var.alb_deletion_protection

  access_logs {
    enabled = var.enable_access_logs
    bucket  = var.enable_access_logs ? aws_s3_bucket.logs[0].id : ""
    prefix  = "alb"
  }

  depends_on = [aws_s3_bucket_policy.logs]
}

resource "aws_lb_target_group" "app" {
  #checkov:skip=CKV_AWS_378:TLS ends at the ALB; the hop to the instance stays inside the VPC, open to the ALB's security group only.
  name                 = "${local.name}-app"
  port                 = var.app_port
  protocol             = "HTTP"
  vpc_id               = local.vpc_id
  target_type          = "instance"
  deregistration_delay = 30

  health_check {
    path                = "/health"
    protocol            = "HTTP"
    port                = "traffic-port"
    matcher             = "200"
    interval            = 30
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

# The single instance; with scale_out the web group registers its instances itself.
resource "aws_lb_target_group_attachment" "app" {
  count            = var.scale_out ? 0 : 1
  target_group_arn = aws_lb_target_group.app.arn
  target_id        = aws_instance.app[0].id
  port             = var.app_port
}

moved {
  from = aws_lb_target_group_attachment.app
  to   = aws_lb_target_group_attachment.app[0]
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.app.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.alb_ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

resource "aws_lb_listener" "http_redirect" {
  load_balancer_arn = aws_lb.app.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }
}
