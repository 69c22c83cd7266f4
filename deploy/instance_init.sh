#!/usr/bin/env bash
# Instance init for the TTB Label Verifier (Amazon Linux 2023).
#
# Runs as EC2 user data on first boot, then on every boot from the
# ttb-instance-init systemd unit it installs; `sudo ttb-instance-init` by hand
# is safe too. Each run:
#   1. mounts a small tmpfs for the model status file and one for the secrets;
#   2. installs Docker if it is missing;
#   3. reads its settings from the SSM parameters under the path in the
#      instance's ttb-config-path tag, and its two secrets from Secrets Manager
#      (user data carries neither);
#   4. pulls the images and re-creates the ollama, app and worker containers;
#   5. starts the model fetch in the background, unless one is still running;
#   6. schedules the retention and clean-up commands (systemd timers).
# What runs depends on the instance's ttb-role tag (scale_out = true in Terraform):
#   none    the single instance: all of the above, one task worker;
#   web     an instance of the web group: no task worker; it also publishes the
#           queue metrics the worker group scales on (a timer, every minute);
#   worker  an instance of the worker group: only task workers, one per vCPU.
set -euo pipefail

# Host paths hang off TTB_INIT_ROOT so tests can run the script in a scratch dir.
readonly ROOT="${TTB_INIT_ROOT:-}"
readonly STATUS_DIR="${ROOT}/run/ttb"          # tmpfs: fetch writes, app reads
readonly SECRETS_DIR="${ROOT}/run/ttb-secrets" # tmpfs: root only
readonly OLLAMA_DIR="${ROOT}/var/lib/ollama"
readonly CONFIG_DIR="${ROOT}/etc/ttb"
readonly INSTALL_PATH="${ROOT}/usr/local/sbin/ttb-instance-init"
readonly UNIT_PATH="${ROOT}/etc/systemd/system/ttb-instance-init.service"
readonly SYSTEMD_DIR="${ROOT}/etc/systemd/system"
readonly IMDS="http://169.254.169.254/latest"

readonly NETWORK="ttb"
readonly CONTAINER_STATUS_DIR="/var/run/ttb"
readonly CONTAINER_SECRET_KEY="/run/secrets/secret_key"
readonly CONTAINER_MODELS_DIR="/ollama-models"
readonly ECR_IMAGE='^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/'

log() { printf '%s ttb-instance-init: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() {
    log "ERROR: $*"
    exit 1
}

imds_get() {
    local token
    token="$(curl -fsS --retry 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' "${IMDS}/api/token")"
    curl -fsS --retry 5 -H "X-aws-ec2-metadata-token: ${token}" "${IMDS}/meta-data/$1"
}

# One setting from SSM; it must exist and be one line (it lands in an env file).
setting() {
    local value
    value="$(aws ssm get-parameter --region "${REGION}" --name "${CONFIG_PATH}/$1" \
        --query Parameter.Value --output text)" ||
        die "cannot read SSM parameter ${CONFIG_PATH}/$1 (terraform apply creates it)"
    [[ -n "${value}" && "${value}" != *$'\n'* ]] || die "SSM parameter ${CONFIG_PATH}/$1 must be one non-empty line"
    printf '%s' "${value}"
}

secret() {
    aws secretsmanager get-secret-value --region "${REGION}" --secret-id "$1" \
        --query SecretString --output text ||
        die "cannot read secret $1: set its value with 'aws secretsmanager put-secret-value' (deploy/README.md, step 2)"
}

mount_tmpfs() {
    local dir=$1 mode=$2
    mkdir -p "${dir}"
    if ! mountpoint -q "${dir}"; then
        mount -t tmpfs -o "size=1m,mode=${mode},nosuid,nodev,noexec" tmpfs "${dir}"
    fi
}

# Replace the file only when its content changes, atomically either way.
write_file() {
    local path=$1 mode=$2 content=$3
    if [[ -f "${path}" ]] && [[ "$(cat "${path}")" == "${content}" ]]; then
        return
    fi
    printf '%s\n' "${content}" >"${path}.new"
    chmod "${mode}" "${path}.new"
    mv -f "${path}.new" "${path}"
}

# The instance's part, from its ttb-role tag; no tag (404): the single instance.
instance_role() {
    local role
    role="$(imds_get tags/instance/ttb-role 2>/dev/null)" || role=all
    [[ "${role}" =~ ^(all|web|worker)$ ]] || die "the ttb-role tag must be web or worker, not '${role}'"
    printf '%s' "${role}"
}

install_self() {
    local source
    source="$(readlink -f "${BASH_SOURCE[0]}")"
    if [[ ! "${source}" -ef "${INSTALL_PATH}" ]]; then
        install -D -m 0755 "${source}" "${INSTALL_PATH}"
    fi
    mkdir -p "$(dirname "${UNIT_PATH}")"
    write_file "${UNIT_PATH}" 0644 "[Unit]
Description=TTB Label Verifier containers and model fetch
Wants=network-online.target
After=network-online.target docker.service
Requires=docker.service

[Service]
Type=oneshot
ExecStart=${INSTALL_PATH#"${ROOT}"}

[Install]
WantedBy=multi-user.target"
    systemctl daemon-reload
    systemctl enable ttb-instance-init.service
}

# The timers run their commands in a container that has the app's settings and
# secrets: the worker on the single instance, the app on a web instance. Worker
# instances run none (the web group does it once per minute for all of them).
install_timers() {
    local container
    case "${ROLE}" in
    all) container=ttb-worker ;;
    web) container=ttb-app ;;
    worker) return 0 ;;
    esac
    install_maintenance "${container}"
    local timers=(ttb-maintenance-daily.timer ttb-maintenance-retry.timer)
    if [[ "${ROLE}" == web ]]; then
        install_queue_metrics "${container}"
        timers+=(ttb-queue-metrics.timer)
    fi
    install_anomaly_detection "${container}"
    systemctl daemon-reload
    systemctl enable --now "${timers[@]}"
    systemctl enable --now ttb-anomalies.timer
}

# Anomaly alerts (analytics/anomalies.py), hourly: the command exits 1 when it
# raised new alerts, so the unit's failed state (and its journal) says so too;
# they are also on the dashboard and posted to ANALYTICS_ALERT_WEBHOOK_URL if set.
install_anomaly_detection() {
    local container=$1
    write_file "${SYSTEMD_DIR}/ttb-anomalies.service" 0644 "[Unit]
Description=TTB Label Verifier anomaly alerts
Requires=docker.service
After=docker.service

[Service]
Type=oneshot
ExecStart=/usr/bin/docker exec ${container} python manage.py detect_anomalies"
    write_file "${SYSTEMD_DIR}/ttb-anomalies.timer" 0644 "[Unit]
Description=TTB Label Verifier anomaly alerts, hourly

[Timer]
OnCalendar=hourly
Persistent=true
RandomizedDelaySec=120

[Install]
WantedBy=timers.target"
}

# QueueDepth and OldestReadyAgeSeconds to CloudWatch every minute: the worker
# group's target tracking scales on them (deploy/README.md "Scaling out").
install_queue_metrics() {
    local container=$1 namespace deployment
    namespace="$(setting queue_metrics_namespace)"
    deployment="${CONFIG_PATH#/}"
    write_file "${SYSTEMD_DIR}/ttb-queue-metrics.service" 0644 "[Unit]
Description=TTB Label Verifier queue metrics to CloudWatch
Requires=docker.service
After=docker.service

[Service]
Type=oneshot
ExecStart=/usr/bin/docker exec ${container} python manage.py publish_queue_metrics --namespace ${namespace} --deployment ${deployment}"
    write_file "${SYSTEMD_DIR}/ttb-queue-metrics.timer" 0644 "[Unit]
Description=TTB Label Verifier queue metrics to CloudWatch, every minute

[Timer]
OnCalendar=*-*-* *:*:00
AccuracySec=5s

[Install]
WantedBy=timers.target"
}

# Retention and clean-up (artifacts/README.md "Scheduled commands"), run in the
# worker container so they see the app's settings and secrets.
install_maintenance() {
    local container=$1 name commands schedule
    for name in daily retry; do
        if [[ "${name}" == daily ]]; then
            schedule="*-*-* 03:15:00"
            commands="python manage.py purge_expired_artifacts \
&& python manage.py prune_orphan_artifacts \
&& python manage.py prune_db_task_results --min-age-days 7"
        else
            schedule="*:0/15"
            commands="python manage.py retry_failed_artifacts"
        fi
        write_file "${SYSTEMD_DIR}/ttb-maintenance-${name}.service" 0644 "[Unit]
Description=TTB Label Verifier maintenance (${name})
Requires=docker.service
After=docker.service

[Service]
Type=oneshot
ExecStart=/usr/bin/docker exec ${container} sh -c '${commands}'"
        write_file "${SYSTEMD_DIR}/ttb-maintenance-${name}.timer" 0644 "[Unit]
Description=TTB Label Verifier maintenance (${name})

[Timer]
OnCalendar=${schedule}
Persistent=true
RandomizedDelaySec=300

[Install]
WantedBy=timers.target"
    done
}

ecr_login() {
    local image=$1 registry
    [[ "${image}" =~ ${ECR_IMAGE} ]] || return 0
    registry="${image%%/*}"
    aws ecr get-login-password --region "${BASH_REMATCH[2]}" |
        docker login --username AWS --password-stdin "${registry}" >/dev/null
}

# Remove a container of that name, then start it again with the given arguments.
replace_container() {
    local name=$1
    shift
    docker rm -f "${name}" >/dev/null 2>&1 || true
    docker run --detach --name "${name}" --restart unless-stopped --network "${NETWORK}" \
        --log-opt max-size=50m --log-opt max-file=5 "$@" >/dev/null
}

# Ollama, the model fetch, the migration, the app; and on the single instance
# its one task worker (a web instance of the group runs none).
start_web() {
    local app_image=$1 ollama_image=$2 models_bucket=$3 app_port=$4
    shift 4
    local app_args=("$@")

    log "starting ollama"
    replace_container ttb-ollama --network-alias ollama \
        --volume "${OLLAMA_DIR}:/root/.ollama" "${ollama_image}"

    # The one writer of the status file; it survives this script and reboots do
    # not restart it (the next run of this script does, if it is not running).
    if [[ "$(docker inspect --format '{{.State.Running}}' ttb-model-fetch 2>/dev/null)" == "true" ]]; then
        log "model fetch already running; leaving it"
    else
        log "starting the model fetch from s3://${models_bucket}/models/ in the background"
        docker rm -f ttb-model-fetch >/dev/null 2>&1 || true
        docker run --detach --name ttb-model-fetch --network "${NETWORK}" "${app_args[@]}" \
            --env "OLLAMA_MODELS_DIR=${CONTAINER_MODELS_DIR}" \
            --volume "${STATUS_DIR}:${CONTAINER_STATUS_DIR}:rw" \
            --volume "${OLLAMA_DIR}/models:${CONTAINER_MODELS_DIR}:rw" \
            "${app_image}" python manage.py fetch_model --bucket "${models_bucket}" >/dev/null
    fi

    # Web instances of a group may boot together: a migration that lost the race
    # to another instance succeeds when tried again (nothing left to do).
    log "migrating the database"
    local attempt
    for attempt in 1 2 3; do
        docker run --rm --network "${NETWORK}" "${app_args[@]}" "${app_image}" \
            python manage.py migrate --noinput && break
        ((attempt < 3)) || die "the database migration failed three times"
        sleep $((attempt * 10))
    done

    log "starting the app on port ${app_port}"
    replace_container ttb-app "${app_args[@]}" \
        --volume "${STATUS_DIR}:${CONTAINER_STATUS_DIR}:ro" \
        --publish "${app_port}:${app_port}" "${app_image}"
    if [[ "${ROLE}" == all ]]; then
        log "starting the task worker"
        replace_container ttb-worker "${app_args[@]}" \
            --volume "${STATUS_DIR}:${CONTAINER_STATUS_DIR}:ro" \
            "${app_image}" python manage.py db_worker
    fi
}

# A worker instance: one task worker per vCPU, each with one OCR thread. Stopping
# (scale-in) gives each a minute to finish its label; an unfinished one goes
# back to the queue after BATCH_ITEM_LEASE_SECONDS.
start_task_workers() {
    local app_image=$1
    shift
    local count index name
    count="$(nproc)"
    log "starting ${count} task workers"
    for ((index = 1; index <= count; index++)); do
        name=ttb-worker
        ((index == 1)) || name="ttb-worker-${index}"
        replace_container "${name}" "$@" --env OCR_THREADS=1 --stop-timeout 60 \
            "${app_image}" python manage.py db_worker
    done
}

main() {
    mount_tmpfs "${STATUS_DIR}" 0755
    mount_tmpfs "${SECRETS_DIR}" 0700
    mkdir -p "${OLLAMA_DIR}/models" "${CONFIG_DIR}"

    if ! command -v docker >/dev/null; then
        dnf install -y docker
    fi
    systemctl enable --now docker
    install_self

    REGION="$(imds_get placement/region)"
    CONFIG_PATH="$(imds_get tags/instance/ttb-config-path)"
    ROLE="$(instance_role)"
    log "instance role: ${ROLE}"
    local private_ip
    private_ip="$(imds_get local-ipv4)"

    # Each setting goes into a variable first: a failed $(...) inside another
    # command's argument would not stop the script.
    local app_image ollama_image ollama_model models_bucket artifacts_bucket app_port
    local allowed_hosts csrf_trusted_origins secret_key_id database_url_id
    app_image="$(setting app_image)"
    ollama_image="$(setting ollama_image)"
    ollama_model="$(setting ollama_model)"
    models_bucket="$(setting models_bucket)"
    artifacts_bucket="$(setting artifacts_bucket)"
    app_port="$(setting app_port)"
    allowed_hosts="$(setting allowed_hosts)"
    csrf_trusted_origins="$(setting csrf_trusted_origins)"
    secret_key_id="$(setting secret_key_secret_id)"
    database_url_id="$(setting database_url_secret_id)"
    [[ "${app_port}" =~ ^[0-9]+$ ]] || die "SSM parameter ${CONFIG_PATH}/app_port must be a port number"

    # The ALB's health check addresses the instance by its private IP. A worker
    # instance runs no Ollama: its batches read with the two OCR engines.
    local ollama_settings="
OLLAMA_HOST=http://ollama:11434
OLLAMA_MODEL=${ollama_model}"
    [[ "${ROLE}" != worker ]] || ollama_settings=""
    write_file "${CONFIG_DIR}/app.env" 0644 "DEBUG=false
ALLOWED_HOSTS=${allowed_hosts},${private_ip}
CSRF_TRUSTED_ORIGINS=${csrf_trusted_origins}
TRUSTED_PROXY_HOPS=1
AWS_REGION=${REGION}
AWS_DEFAULT_REGION=${REGION}
ARTIFACT_S3_BUCKET=${artifacts_bucket}
MODEL_BUCKET=${models_bucket}${ollama_settings}
MODEL_STATUS_FILE=${CONTAINER_STATUS_DIR}/model-status.json
SECRET_KEY_FILE=${CONTAINER_SECRET_KEY}"

    local image images=("${app_image}")
    [[ "${ROLE}" == worker ]] || images+=("${ollama_image}")
    for image in "${images[@]}"; do
        ecr_login "${image}"
        docker pull --quiet "${image}" >/dev/null
    done

    # The app image's user owns what the app and the fetch must read or write.
    local app_uid
    app_uid="$(docker run --rm --entrypoint id "${app_image}" -u)"
    [[ "${app_uid}" =~ ^[0-9]+$ ]] || die "cannot tell the user id of ${app_image}"
    chown "${app_uid}" "${STATUS_DIR}" "${OLLAMA_DIR}/models"

    local secret_key database_url
    secret_key="$(secret "${secret_key_id}")"
    database_url="$(secret "${database_url_id}")"
    [[ -n "${secret_key}" && -n "${database_url}" && "${database_url}" != *$'\n'* ]] ||
        die "the secret key and database URL secrets must hold a value (the URL on one line)"
    (
        umask 077
        write_file "${SECRETS_DIR}/secret_key" 0400 "${secret_key}"
        write_file "${SECRETS_DIR}/database.env" 0400 "DATABASE_URL=${database_url}"
    )
    chown "${app_uid}" "${SECRETS_DIR}/secret_key"

    if ! docker network inspect "${NETWORK}" >/dev/null 2>&1; then
        docker network create "${NETWORK}" >/dev/null
    fi

    local app_args=(
        --env-file "${CONFIG_DIR}/app.env"
        --env-file "${SECRETS_DIR}/database.env"
        --volume "${SECRETS_DIR}/secret_key:${CONTAINER_SECRET_KEY}:ro"
    )

    if [[ "${ROLE}" == worker ]]; then
        start_task_workers "${app_image}" "${app_args[@]}"
    else
        start_web "${app_image}" "${ollama_image}" "${models_bucket}" "${app_port}" "${app_args[@]}"
    fi
    install_timers
    log "done"
}

main "$@"
