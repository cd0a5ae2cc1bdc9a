#!/usr/bin/env bash
# Deploys infra/aws/member-account-role.yaml to every account of one or more OUs as a service-managed StackSet
# (accounts that join the OU later get the role automatically; leaving accounts lose it).
#
# Run from the organization's management account, or a CloudFormation StackSets delegated administrator with
# CALL_AS=DELEGATED_ADMIN. Trusted access for StackSets must be enabled in AWS Organizations. Note that
# service-managed StackSets never deploy to the management account itself: create that stack by hand if needed.
#
# Required environment:
#   OU_IDS                 one or more OU ids (or the root id r-xxxx), comma-separated: ou-ab12-cdef3456,...
#   RIGHTSIZE_ACCOUNT_ID   12-digit id of the account where Rightsize runs
#   EXTERNAL_ID            the sts:ExternalId (16+ characters of [A-Za-z0-9+=,.@:/_-]); never printed
#   REGIONS                where the stack instances go. IAM is global: give exactly ONE region (e.g. us-east-1);
#                          a second region would try to create the same named role again and fail.
# Optional environment:
#   ROLE_NAME              default RightsizeReadOnly, the collector's aws.roleName default and the role that
#                          infra/aws/collector-assume-role-policy.json and serverless.yml allow
#   STACK_SET_NAME         default rightsize-collector-role
#   CALL_AS                SELF (default) or DELEGATED_ADMIN
#   AWS_REGION             region of the StackSet itself (the CLI's usual setting)
set -euo pipefail

die() { printf 'deploy-stackset: %s\n' "$*" >&2; exit 1; }

missing=()
for v in OU_IDS RIGHTSIZE_ACCOUNT_ID EXTERNAL_ID REGIONS; do
  [[ -n "${!v:-}" ]] || missing+=("$v")
done
((${#missing[@]} == 0)) || die "missing environment variable(s): ${missing[*]} (see the header of $0)"

ROLE_NAME="${ROLE_NAME:-RightsizeReadOnly}"
STACK_SET_NAME="${STACK_SET_NAME:-rightsize-collector-role}"
CALL_AS="${CALL_AS:-SELF}"

[[ "$RIGHTSIZE_ACCOUNT_ID" =~ ^[0-9]{12}$ ]] || die "RIGHTSIZE_ACCOUNT_ID must be a 12-digit account id"
# The same character set as the template's AllowedPattern; it also keeps the parameters file below valid JSON.
[[ "$EXTERNAL_ID" =~ ^[A-Za-z0-9_+=,.@:/-]{16,1224}$ ]] || die "EXTERNAL_ID must be 16-1224 characters of [A-Za-z0-9+=,.@:/_-] (value not shown)"
[[ "$ROLE_NAME" =~ ^[A-Za-z0-9_+=,.@-]{1,64}$ ]] || die "ROLE_NAME is not a valid IAM role name"
[[ "$CALL_AS" == SELF || "$CALL_AS" == DELEGATED_ADMIN ]] || die "CALL_AS must be SELF or DELEGATED_ADMIN"
IFS=',' read -r -a ous <<<"$OU_IDS"
for ou in "${ous[@]}"; do
  [[ "$ou" =~ ^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$ ]] || die "not an OU or root id: '$ou'"
done
IFS=',' read -r -a regions <<<"$REGIONS"
((${#regions[@]} == 1)) || die "REGIONS: give exactly one region; the role is global and a second stack instance per account would collide"
[[ "${regions[0]}" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]$ ]] || die "not a region name: '${regions[0]}'"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
template="$here/member-account-role.yaml"
[[ -f "$template" ]] || die "template not found: $template"

# Parameters go through a private temp file, not the command line, so the external id never shows in `ps`.
params="$(umask 077 && mktemp)"
trap 'rm -f "$params"' EXIT
printf '[{"ParameterKey":"RightsizeAccountId","ParameterValue":"%s"},{"ParameterKey":"RoleName","ParameterValue":"%s"},{"ParameterKey":"ExternalId","ParameterValue":"%s"}]\n' \
  "$RIGHTSIZE_ACCOUNT_ID" "$ROLE_NAME" "$EXTERNAL_ID" >"$params"

if aws cloudformation describe-stack-set --stack-set-name "$STACK_SET_NAME" --call-as "$CALL_AS" >/dev/null 2>&1; then
  die "stack set $STACK_SET_NAME already exists: change it with 'aws cloudformation update-stack-set' (or delete it) instead"
fi

echo "Creating stack set $STACK_SET_NAME (role $ROLE_NAME, trusted account $RIGHTSIZE_ACCOUNT_ID)"
aws cloudformation create-stack-set \
  --stack-set-name "$STACK_SET_NAME" \
  --description "Rightsize collector read-only cross-account role" \
  --template-body "file://$template" \
  --parameters "file://$params" \
  --permission-model SERVICE_MANAGED \
  --auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false \
  --capabilities CAPABILITY_NAMED_IAM \
  --call-as "$CALL_AS" \
  --output text --query StackSetId

echo "Creating stack instances in OU(s) $OU_IDS, region ${regions[0]}"
op="$(aws cloudformation create-stack-instances \
  --stack-set-name "$STACK_SET_NAME" \
  --deployment-targets "OrganizationalUnitIds=$OU_IDS" \
  --regions "${regions[0]}" \
  --operation-preferences FailureTolerancePercentage=10,MaxConcurrentPercentage=25 \
  --call-as "$CALL_AS" \
  --output text --query OperationId)"

echo "Operation $op started; waiting for it to finish"
while :; do
  status="$(aws cloudformation describe-stack-set-operation --stack-set-name "$STACK_SET_NAME" --operation-id "$op" \
    --call-as "$CALL_AS" --output text --query StackSetOperation.Status)"
  case "$status" in
    SUCCEEDED) break ;;
    FAILED | STOPPED)
      echo "Operation $op $status. Per-account results:" >&2
      aws cloudformation list-stack-instances --stack-set-name "$STACK_SET_NAME" --call-as "$CALL_AS" \
        --query 'Summaries[].[Account,Region,StackInstanceStatus.DetailedStatus,StatusReason]' --output table >&2
      exit 1 ;;
    *) sleep 15 ;;
  esac
done

echo "Done. In each member account the role is arn:aws:iam::<account-id>:role/$ROLE_NAME."
echo "List them: aws cloudformation list-stack-instances --stack-set-name $STACK_SET_NAME --call-as $CALL_AS"
