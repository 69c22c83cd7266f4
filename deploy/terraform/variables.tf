# ---------------------------------------------------------------- general

variable "aws_region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region name such as us-east-1 or us-gov-west-1."
  }
}

variable "name" {
  description = "Prefix for every resource name, and the SSM parameter path (/NAME/...)."
  type        = string
  default     = "ttb-label-verifier"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,30}[a-z0-9]$", var.name))
    error_message = "name must be 4-32 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "tags" {
  description = "Extra tags put on every resource."
  type        = map(string)
  default     = {}
}

# ---------------------------------------------------------------- network

variable "create_vpc" {
  description = "true: create a VPC with public and private subnets across az_count AZs (Option 3). false: add private subnets, NAT and endpoints to the region's default VPC (Option 1)."
  type        = bool
  default     = false
}

variable "vpc_cidr" {
  description = "CIDR of the VPC to create. Ignored when create_vpc is false (the default VPC's CIDR is used)."
  type        = string
  default     = "10.20.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 20
    error_message = "vpc_cidr must be an IPv4 CIDR of /20 or larger."
  }
}

variable "az_count" {
  description = "Number of availability zones to spread subnets over. The ALB needs at least two."
  type        = number
  default     = 2

  validation {
    condition     = var.az_count >= 2 && var.az_count <= 4 && floor(var.az_count) == var.az_count
    error_message = "az_count must be a whole number from 2 to 4."
  }
}

variable "private_subnet_newbits" {
  description = "Bits added to the VPC prefix for each subnet (4 turns a /16 into /20s). Private subnet i is cidrsubnet(vpc, newbits, 8 + i), public subnet i (created VPC only) is cidrsubnet(vpc, newbits, i); in the default VPC index 8+ stays clear of its default /20 subnets."
  type        = number
  default     = 4

  validation {
    condition     = var.private_subnet_newbits >= 4 && var.private_subnet_newbits <= 8
    error_message = "private_subnet_newbits must be from 4 to 8, leaving room for 16 or more subnets."
  }
}

variable "enable_nat_gateway" {
  description = "Route the private subnets' internet traffic through a NAT gateway (about $32/month each plus $0.045/GB). Without it, image pulls need enable_ecr_endpoints and every image in ECR."
  type        = bool
  default     = true
}

variable "nat_gateway_per_az" {
  description = "One NAT gateway (and Elastic IP) per AZ instead of one shared. Survives an AZ outage; costs one NAT gateway per AZ."
  type        = bool
  default     = false
}

variable "enable_s3_gateway_endpoint" {
  description = "S3 gateway endpoint on the private route tables (free): model downloads, artifact writes, ECR layers and dnf repositories stay off the NAT."
  type        = bool
  default     = true
}

variable "enable_ssm_endpoints" {
  description = "Interface endpoints for ssm, ec2messages and ssmmessages (about $7.30/month each per AZ), so Session Manager works without the NAT."
  type        = bool
  default     = true
}

variable "enable_ecr_endpoints" {
  description = "Interface endpoints for ecr.api and ecr.dkr (about $7.30/month each per AZ). Needed for image pulls when enable_nat_gateway is false."
  type        = bool
  default     = false
}

variable "enable_flow_logs" {
  description = "VPC flow logs (all traffic) to CloudWatch Logs. Keep on for production."
  type        = bool
  default     = true
}

variable "flow_log_retention_days" {
  description = "Days CloudWatch keeps VPC flow logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.flow_log_retention_days)
    error_message = "flow_log_retention_days must be one of the retention periods CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."
  }
}

# ---------------------------------------------------------------- load balancer

variable "certificate_arn" {
  description = "ARN of the ACM certificate the HTTPS listener presents."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)."
  }
}

variable "alb_ingress_cidrs" {
  description = "Client address ranges allowed to reach the load balancer on 80 and 443."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.alb_ingress_cidrs) > 0 && alltrue([for cidr in var.alb_ingress_cidrs : can(cidrhost(cidr, 0))])
    error_message = "alb_ingress_cidrs must be a non-empty list of IPv4 CIDRs."
  }
}

variable "alb_ssl_policy" {
  description = "TLS policy of the HTTPS listener."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "alb_deletion_protection" {
  description = "Refuse to delete the load balancer until this is turned off."
  type        = bool
  default     = true
}

variable "enable_access_logs" {
  description = "Create a log bucket and send the ALB's access logs and the artifacts bucket's S3 server access logs to it."
  type        = bool
  default     = true
}

variable "access_log_expiration_days" {
  description = "Days the log bucket keeps access logs."
  type        = number
  default     = 365

  validation {
    condition     = var.access_log_expiration_days >= 1
    error_message = "access_log_expiration_days must be at least 1."
  }
}

# ---------------------------------------------------------------- instance

variable "instance_type" {
  description = "EC2 instance type. The vision model runs on CPU here: 32 GiB of memory keeps it and the app resident."
  type        = string
  default     = "m7i.2xlarge"
}

variable "ami_id" {
  description = "AMI for the instance. null: the latest Amazon Linux 2023 (x86_64) from its public SSM parameter. The init script expects Amazon Linux 2023 (dnf)."
  type        = string
  default     = null

  validation {
    condition     = var.ami_id == null || can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must be null or an AMI ID (ami-...)."
  }
}

variable "root_volume_size_gb" {
  description = "Size of the encrypted gp3 root volume: images, the model (about 8 GB unpacked) and its download."
  type        = number
  default     = 100

  validation {
    condition     = var.root_volume_size_gb >= 40
    error_message = "root_volume_size_gb must be at least 40 (Docker images plus the model and its archive)."
  }
}

variable "app_port" {
  description = "Port gunicorn listens on in the app container; the only port the instance accepts, and only from the ALB."
  type        = number
  default     = 8000

  validation {
    condition     = var.app_port >= 1024 && var.app_port <= 65535
    error_message = "app_port must be an unprivileged port (1024-65535)."
  }
}

variable "database_port" {
  description = "Port of the PostgreSQL server named by DATABASE_URL; the instance may reach it inside the VPC only."
  type        = number
  default     = 5432
}

# ---------------------------------------------------------------- application

variable "app_image" {
  description = "ECR image URI of the app (built from the repo's Dockerfile), with a tag or digest."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$", var.app_image))
    error_message = "app_image must be an ECR image URI with a tag or digest: ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPOSITORY:TAG."
  }
}

variable "ollama_image" {
  description = "Ollama server image. Docker Hub works through the NAT gateway; without NAT, mirror it into ECR and name that URI."
  type        = string
  default     = "ollama/ollama:0.6.8"

  validation {
    condition     = can(regex("[:@]", var.ollama_image))
    error_message = "ollama_image must carry a tag or digest, so a re-run never pulls a different server."
  }
}

variable "ollama_model" {
  description = "Ollama model the app asks for (OLLAMA_MODEL); the fetch downloads s3://MODELS_BUCKET/models/MODEL.tar.gz."
  type        = string
  default     = "llama3.2-vision"
}

variable "app_hostnames" {
  description = "Host names clients use (DNS names pointing at the ALB). Become ALLOWED_HOSTS and https:// CSRF trusted origins."
  type        = list(string)

  validation {
    condition     = length(var.app_hostnames) > 0 && alltrue([for host in var.app_hostnames : can(regex("^[a-z0-9.-]+$", host))])
    error_message = "app_hostnames must list at least one lowercase DNS name."
  }
}

variable "models_bucket_name" {
  description = "Existing bucket holding models/MODEL.tar.gz. The instance may read objects under models/ and nothing else."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.models_bucket_name))
    error_message = "models_bucket_name must be an S3 bucket name."
  }
}

# ---------------------------------------------------------------- artifacts bucket

variable "artifacts_bucket_name" {
  description = "Name of the artifacts bucket to create. null: NAME-artifacts-ACCOUNT."
  type        = string
  default     = null

  validation {
    condition     = var.artifacts_bucket_name == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.artifacts_bucket_name))
    error_message = "artifacts_bucket_name must be null or an S3 bucket name."
  }
}

variable "artifacts_prefix" {
  description = "Key prefix the app stores artifacts under; the instance's S3 rights stop at it."
  type        = string
  default     = "artifacts/"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+/$", var.artifacts_prefix))
    error_message = "artifacts_prefix must be one path segment ending in a slash, such as artifacts/."
  }
}

variable "artifacts_infrequent_access_days" {
  description = "Days after which artifacts move to S3 Standard-IA (S3 requires 30 or more)."
  type        = number
  default     = 30

  validation {
    condition     = var.artifacts_infrequent_access_days >= 30
    error_message = "artifacts_infrequent_access_days must be at least 30 (S3's minimum for Standard-IA)."
  }
}

variable "artifacts_glacier_days" {
  description = "Days after which artifacts move to S3 Glacier Flexible Retrieval."
  type        = number
  default     = 90

  validation {
    condition     = var.artifacts_glacier_days >= var.artifacts_infrequent_access_days + 30
    error_message = "artifacts_glacier_days must be at least 30 days after artifacts_infrequent_access_days (Standard-IA's minimum stay)."
  }
}

variable "artifacts_expiration_days" {
  description = "Days after which artifacts are deleted. Match the app's ARTIFACT_RETENTION_DAYS."
  type        = number
  default     = 365

  validation {
    condition     = var.artifacts_expiration_days >= var.artifacts_glacier_days + 90
    error_message = "artifacts_expiration_days must be at least 90 days after artifacts_glacier_days (Glacier's minimum stay)."
  }
}

variable "artifacts_noncurrent_version_days" {
  description = "Days a deleted or overwritten artifact version is kept before S3 removes it for good."
  type        = number
  default     = 30

  validation {
    condition     = var.artifacts_noncurrent_version_days >= 1
    error_message = "artifacts_noncurrent_version_days must be at least 1."
  }
}

variable "artifact_reader_principal_arns" {
  description = "IAM principals (users or roles) that may assume the read-only artifact role for retrieval and analysis. Empty: no such role."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.artifact_reader_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(root|user/.+|role/.+)$", arn))])
    error_message = "artifact_reader_principal_arns must hold IAM user, role or account-root ARNs."
  }
}

# ---------------------------------------------------------------- scale out (issue 17)

variable "scale_out" {
  description = "false: one instance runs everything against the database you name (the default layout). true: RDS PostgreSQL, the web instances in an Auto Scaling Group across the private subnets' AZs behind the ALB, and a worker Auto Scaling Group that runs only db_worker and scales on the queue depth (deploy/README.md \"Scaling out\")."
  type        = bool
  default     = false
}

variable "database_instance_class" {
  description = "RDS instance class of the PostgreSQL database (scale_out). The queue costs it a few milliseconds of CPU per label (bench/scale.py); 2 vCPUs serve far more workers than max sizes here allow."
  type        = string
  default     = "db.t4g.medium"
}

variable "database_engine_version" {
  description = "PostgreSQL major version of the RDS database (scale_out); minor versions are upgraded in the maintenance window."
  type        = string
  default     = "15"

  validation {
    condition     = can(regex("^1[4-7]$", var.database_engine_version))
    error_message = "database_engine_version must be a PostgreSQL major version from 14 to 17."
  }
}

variable "database_allocated_storage_gb" {
  description = "Initial encrypted gp3 storage of the RDS database (scale_out); it grows by itself up to database_max_allocated_storage_gb."
  type        = number
  default     = 50

  validation {
    condition     = var.database_allocated_storage_gb >= 20
    error_message = "database_allocated_storage_gb must be at least 20 (RDS's gp3 minimum)."
  }
}

variable "database_max_allocated_storage_gb" {
  description = "Ceiling for RDS storage autoscaling (scale_out): audit rows and waiting batch panels grow the database."
  type        = number
  default     = 500

  validation {
    condition     = var.database_max_allocated_storage_gb >= var.database_allocated_storage_gb
    error_message = "database_max_allocated_storage_gb must be at least database_allocated_storage_gb."
  }
}

variable "database_multi_az" {
  description = "A synchronous standby in a second AZ (scale_out): survives an AZ or instance failure with a failover of a minute or two; doubles the instance cost."
  type        = bool
  default     = true
}

variable "database_backup_retention_days" {
  description = "Days RDS keeps automated backups for point-in-time recovery (scale_out)."
  type        = number
  default     = 14

  validation {
    condition     = var.database_backup_retention_days >= 7 && var.database_backup_retention_days <= 35
    error_message = "database_backup_retention_days must be from 7 to 35."
  }
}

variable "database_deletion_protection" {
  description = "Refuse to delete the RDS database until this is turned off (scale_out)."
  type        = bool
  default     = true
}

variable "database_password_version" {
  description = "Raise by one to give the RDS database a new random master password and write the DATABASE_URL secret with it, in the same apply (scale_out). The password is never in Terraform state."
  type        = number
  default     = 1

  validation {
    condition     = var.database_password_version >= 1 && floor(var.database_password_version) == var.database_password_version
    error_message = "database_password_version must be a whole number, 1 or more."
  }
}

variable "web_min_size" {
  description = "Fewest web instances (scale_out); spread over the private subnets' AZs, so 2 or more survive an AZ outage."
  type        = number
  default     = 2

  validation {
    condition     = var.web_min_size >= 1
    error_message = "web_min_size must be at least 1."
  }
}

variable "web_max_size" {
  description = "Most web instances (scale_out); the group adds them at 60% average CPU."
  type        = number
  default     = 4

  validation {
    condition     = var.web_max_size >= var.web_min_size
    error_message = "web_max_size must be at least web_min_size."
  }
}

variable "web_health_check_grace_seconds" {
  description = "Seconds a new web instance has before the ALB's health check counts (scale_out): Docker, the image pulls and the model download come first."
  type        = number
  default     = 1800

  validation {
    condition     = var.web_health_check_grace_seconds >= 300
    error_message = "web_health_check_grace_seconds must be at least 300: first boot pulls images and the model."
  }
}

variable "worker_instance_type" {
  description = "EC2 instance type of the worker group (scale_out); each instance runs one db_worker per vCPU and no vision model."
  type        = string
  default     = "c7i.large"
}

variable "worker_min_size" {
  description = "Fewest worker instances (scale_out). At least 1: the scaling metric divides the queue by the instances in service."
  type        = number
  default     = 1

  validation {
    condition     = var.worker_min_size >= 1
    error_message = "worker_min_size must be at least 1."
  }
}

variable "worker_max_size" {
  description = "Most worker instances (scale_out). Past some 150 instances the database's connections run out first: see \"Past the queue's limit\" in deploy/README.md."
  type        = number
  default     = 10

  validation {
    condition     = var.worker_max_size >= var.worker_min_size
    error_message = "worker_max_size must be at least worker_min_size."
  }
}

variable "worker_target_backlog_per_instance" {
  description = "Ready labels per in-service worker instance the group keeps (target tracking on QueueDepth / instances). Queue wait is about this divided by one instance's labels/s: see the capacity model in deploy/README.md."
  type        = number
  default     = 600

  validation {
    condition     = var.worker_target_backlog_per_instance >= 1
    error_message = "worker_target_backlog_per_instance must be at least 1."
  }
}

variable "queue_metrics_namespace" {
  description = "CloudWatch namespace manage.py publish_queue_metrics puts QueueDepth and OldestReadyAgeSeconds in (scale_out); the instance role may put metrics in this namespace only."
  type        = string
  default     = "TTBLabelVerifier"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.queue_metrics_namespace)) && !startswith(var.queue_metrics_namespace, "AWS/")
    error_message = "queue_metrics_namespace must be a CloudWatch namespace not starting with AWS/."
  }
}
