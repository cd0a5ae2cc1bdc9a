#!/usr/bin/env bash
# Creates the Rightsize GCP collector identity: service account `rightsize-collector`, the custom role from
# rightsize-collector-role.yaml (project or organization level) and the binding between them. Idempotent.
# It never creates a service-account key: Rightsize runs on AWS Lambda and authenticates keylessly with Workload
# Identity Federation (see workload-identity-aws.md; the commands are printed at the end).
#
# Environment:
#   PROJECT_ID   required: the project that holds the service account. Without ORG_ID the role is created in and
#                granted on this project only (collect only this project).
#   ORG_ID       optional: create the role at organization level and grant it on the organization, so every
#                project in it can be collected.
#   ROLE_ID      optional, default rightsizeCollector
#   AWS_ACCOUNT_ID, LAMBDA_ROLE_NAME   optional: fill them into the printed Workload Identity commands
set -euo pipefail

die() { printf 'gcp/apply: %s\n' "$*" >&2; exit 1; }

if [[ -z "${PROJECT_ID:-}" ]]; then
  if [[ -n "${ORG_ID:-}" ]]; then
    die "PROJECT_ID is missing: a service account lives in a project, so set PROJECT_ID (the host project) as well as ORG_ID"
  fi
  die "set PROJECT_ID (project-level role and binding) and optionally ORG_ID (organization-level role and binding)"
fi
[[ "$PROJECT_ID" =~ ^[a-z][a-z0-9-]{4,28}[a-z0-9]$ ]] || die "PROJECT_ID '$PROJECT_ID' is not a project id"
[[ -z "${ORG_ID:-}" || "$ORG_ID" =~ ^[0-9]+$ ]] || die "ORG_ID must be the numeric organization id"
ROLE_ID="${ROLE_ID:-rightsizeCollector}"
[[ "$ROLE_ID" =~ ^[a-zA-Z0-9_.]{3,64}$ ]] || die "ROLE_ID must be 3-64 characters of [a-zA-Z0-9_.]"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
role_file="$here/rightsize-collector-role.yaml"
sa_name=rightsize-collector
sa_email="$sa_name@$PROJECT_ID.iam.gserviceaccount.com"

if [[ -n "${ORG_ID:-}" ]]; then
  scope_flag=(--organization="$ORG_ID")
  role_name="organizations/$ORG_ID/roles/$ROLE_ID"
else
  scope_flag=(--project="$PROJECT_ID")
  role_name="projects/$PROJECT_ID/roles/$ROLE_ID"
fi

# 1. Service account (no keys, ever).
if gcloud iam service-accounts describe "$sa_email" --project="$PROJECT_ID" >/dev/null 2>&1; then
  echo "Service account $sa_email exists"
else
  echo "Creating service account $sa_email"
  gcloud iam service-accounts create "$sa_name" --project="$PROJECT_ID" \
    --display-name="Rightsize collector" \
    --description="Read-only inventory and metrics for Rightsize (keyless: Workload Identity Federation from AWS)"
fi

# 2. Custom role: create, or bring an existing (possibly deleted) one back in line with the file.
if deleted="$(gcloud iam roles describe "$ROLE_ID" "${scope_flag[@]}" --format='value(deleted)' 2>/dev/null)"; then
  if [[ "$deleted" == True ]]; then
    echo "Undeleting custom role $role_name"
    gcloud iam roles undelete "$ROLE_ID" "${scope_flag[@]}" >/dev/null
  fi
  echo "Updating custom role $role_name from $(basename "$role_file")"
  gcloud iam roles update "$ROLE_ID" "${scope_flag[@]}" --file="$role_file" --quiet >/dev/null
else
  echo "Creating custom role $role_name"
  gcloud iam roles create "$ROLE_ID" "${scope_flag[@]}" --file="$role_file" >/dev/null
fi

# 3. Binding.
echo "Granting $role_name to serviceAccount:$sa_email"
if [[ -n "${ORG_ID:-}" ]]; then
  gcloud organizations add-iam-policy-binding "$ORG_ID" --member="serviceAccount:$sa_email" --role="$role_name" \
    --condition=None --quiet >/dev/null
else
  gcloud projects add-iam-policy-binding "$PROJECT_ID" --member="serviceAccount:$sa_email" --role="$role_name" \
    --condition=None --quiet >/dev/null
fi

project_number="$(gcloud projects describe "$PROJECT_ID" --format='value(projectNumber)')"
aws_account="${AWS_ACCOUNT_ID:-<aws-account-id>}"
lambda_role="${LAMBDA_ROLE_NAME:-<lambda-execution-role-name>}"
pool=rightsize
provider=aws

cat <<EOF

Done: $sa_email holds $role_name. No key was created, and none is needed.

The collected projects must have the Compute Engine and Cloud Monitoring APIs enabled (they are, wherever VMs run).

Rightsize runs on AWS Lambda: let its execution role impersonate $sa_email with Workload Identity Federation
(keyless; details in infra/gcp/workload-identity-aws.md):

  gcloud services enable iam.googleapis.com sts.googleapis.com iamcredentials.googleapis.com --project=$PROJECT_ID
  gcloud iam workload-identity-pools create $pool --project=$PROJECT_ID --location=global \\
    --display-name="Rightsize"
  gcloud iam workload-identity-pools providers create-aws $provider --project=$PROJECT_ID --location=global \\
    --workload-identity-pool=$pool --account-id=$aws_account \\
    --attribute-condition="assertion.arn.startsWith('arn:aws:sts::$aws_account:assumed-role/$lambda_role/')"
  gcloud iam service-accounts add-iam-policy-binding $sa_email --project=$PROJECT_ID \\
    --role=roles/iam.workloadIdentityUser \\
    --member="principalSet://iam.googleapis.com/projects/$project_number/locations/global/workloadIdentityPools/$pool/attribute.aws_role/arn:aws:sts::$aws_account:assumed-role/$lambda_role"
  gcloud iam workload-identity-pools create-cred-config \\
    projects/$project_number/locations/global/workloadIdentityPools/$pool/providers/$provider \\
    --service-account=$sa_email --aws --output-file=rightsize-gcp-credentials.json

Store rightsize-gcp-credentials.json (it holds no secret) in SSM and point GOOGLE_APPLICATION_CREDENTIALS at it.
EOF
