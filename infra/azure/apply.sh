#!/usr/bin/env bash
# Creates the Rightsize Azure collector identity (an app registration and its service principal; no client secret)
# and assigns it Reader on every subscription in SUBSCRIPTION_IDS with rightsize-reader.bicep. Idempotent.
# `az ad sp create-for-rbac` is deliberately not used: it mints a client secret, and Rightsize needs none.
#
# Environment:
#   SUBSCRIPTION_IDS          required: subscription ids to collect, comma-separated
#   LOCATION                  optional, default eastus: where ARM keeps the deployment record (not where anything runs)
#   PRINCIPAL_ID              optional: object id of an existing service principal or managed identity to use instead
#                             of creating the app registration (then nothing is created in Entra ID)
#   APP_NAME                  optional, default rightsize-collector
#   FEDERATED_ISSUER, FEDERATED_SUBJECT
#                             optional: add a federated credential so the Lambda signs in keylessly with an OIDC token
#                             from AWS STS GetWebIdentityToken. Issuer: `aws iam get-outbound-web-identity-federation-info`;
#                             subject: the Lambda execution role ARN (arn:aws:iam::<account>:role/<name>).
#   ASSIGN_MONITORING_READER  optional, default false (Reader already covers metrics; see rightsize-reader.bicep)
set -euo pipefail

die() { printf 'azure/apply: %s\n' "$*" >&2; exit 1; }

[[ -n "${SUBSCRIPTION_IDS:-}" ]] || die "set SUBSCRIPTION_IDS (comma-separated subscription ids to collect)"
LOCATION="${LOCATION:-eastus}"
APP_NAME="${APP_NAME:-rightsize-collector}"
ASSIGN_MONITORING_READER="${ASSIGN_MONITORING_READER:-false}"
[[ "$ASSIGN_MONITORING_READER" == true || "$ASSIGN_MONITORING_READER" == false ]] || die "ASSIGN_MONITORING_READER must be true or false"
uuid='^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$'
IFS=',' read -r -a subscriptions <<<"$SUBSCRIPTION_IDS"
for s in "${subscriptions[@]}"; do
  [[ "$s" =~ $uuid ]] || die "not a subscription id: '$s'"
done
if [[ -n "${FEDERATED_ISSUER:-}${FEDERATED_SUBJECT:-}" ]]; then
  [[ -n "${FEDERATED_ISSUER:-}" && -n "${FEDERATED_SUBJECT:-}" ]] || die "set both FEDERATED_ISSUER and FEDERATED_SUBJECT, or neither"
  [[ "$FEDERATED_ISSUER" =~ ^https://[^\"[:space:]]+$ ]] || die "FEDERATED_ISSUER must be an https URL"
  [[ "$FEDERATED_SUBJECT" =~ ^[^\"[:space:]]+$ ]] || die "FEDERATED_SUBJECT must not contain quotes or spaces"
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
template="$here/rightsize-reader.bicep"
tenant_id="$(az account show --query tenantId -o tsv)"
app_id=""

if [[ -n "${PRINCIPAL_ID:-}" ]]; then
  [[ "$PRINCIPAL_ID" =~ $uuid ]] || die "PRINCIPAL_ID must be an object id (UUID)"
  principal_id="$PRINCIPAL_ID"
  echo "Using existing principal $principal_id"
else
  # 1. App registration (single tenant), found by display name on re-runs.
  app_id="$(az ad app list --display-name "$APP_NAME" --query '[0].appId' -o tsv)"
  if [[ -z "$app_id" ]]; then
    echo "Creating app registration $APP_NAME"
    app_id="$(az ad app create --display-name "$APP_NAME" --sign-in-audience AzureADMyOrg --query appId -o tsv)"
  else
    echo "App registration $APP_NAME exists (appId $app_id)"
  fi
  # 2. Its service principal: the object the role assignments name.
  principal_id="$(az ad sp list --filter "appId eq '$app_id'" --query '[0].id' -o tsv)"
  if [[ -z "$principal_id" ]]; then
    echo "Creating service principal for $app_id"
    principal_id="$(az ad sp create --id "$app_id" --query id -o tsv)"
  fi
  # 3. Optional federated credential (keyless sign-in from the Lambda role).
  if [[ -n "${FEDERATED_ISSUER:-}" ]]; then
    fc_name=rightsize-aws-lambda
    if [[ -n "$(az ad app federated-credential list --id "$app_id" --query "[?name=='$fc_name'].name" -o tsv)" ]]; then
      echo "Federated credential $fc_name exists"
    else
      echo "Adding federated credential $fc_name (issuer $FEDERATED_ISSUER, subject $FEDERATED_SUBJECT)"
      fc_file="$(mktemp)"
      trap 'rm -f "$fc_file"' EXIT
      printf '{"name":"%s","issuer":"%s","subject":"%s","audiences":["api://AzureADTokenExchange"],"description":"Rightsize collector on AWS Lambda"}\n' \
        "$fc_name" "$FEDERATED_ISSUER" "$FEDERATED_SUBJECT" >"$fc_file"
      az ad app federated-credential create --id "$app_id" --parameters "@$fc_file" >/dev/null
    fi
  fi
fi

# 4. Reader (and optionally Monitoring Reader) on each subscription.
for s in "${subscriptions[@]}"; do
  echo "Assigning Reader to $principal_id on subscription $s"
  az deployment sub create --subscription "$s" --name rightsize-reader --location "$LOCATION" \
    --template-file "$template" \
    --parameters principalId="$principal_id" assignMonitoringReader="$ASSIGN_MONITORING_READER" \
    --query properties.provisioningState -o tsv
done

cat <<EOF

Done. Tenant $tenant_id, service principal (object id) $principal_id${app_id:+, client id $app_id}.
Rightsize signs in with DefaultAzureCredential. No secret was created. For the Lambda, either:
  - keyless: AZURE_TENANT_ID=$tenant_id AZURE_CLIENT_ID=${app_id:-<client id>} and AZURE_FEDERATED_TOKEN_FILE pointing
    at an AWS STS GetWebIdentityToken token (audience api://AzureADTokenExchange) matching the federated credential;
    the Lambda role then needs sts:GetWebIdentityToken with the condition sts:IdentityTokenAudience = that audience;
  - or a certificate you add yourself (az ad app credential reset --id <client id> --create-cert --append) kept in Secrets
    Manager, with AZURE_CLIENT_CERTIFICATE_PATH.
The Azure Retail Prices API is anonymous: prices need no identity at all.
EOF
