#!/usr/bin/env bash
set -euo pipefail

# Runs after `azd provision` (azure.yaml hook), or by hand after `az deployment ... create` with
# the deployment outputs exported. Safe to run again: it creates only what is missing.
#   1. Writes the management API keys to Key Vault when absent (never prints them).
#   2. Opens the SQL firewall to this machine for the duration of the script.
#   3. Creates the app identity's database user with read/write data roles only.
#   4. Applies the EF Core migrations as the deploying Entra admin.
# Needs: az (logged in: `az login`), go-sqlcmd, openssl, the .NET SDK.
# Optional: SKIP_MIGRATIONS=true skips step 4; SQL_CLIENT_IP=a.b.c.d sets the address to allow.

say() { printf 'postprovision: %s\n' "$*"; }
fail() {
  printf 'postprovision: %s\n' "$*" >&2
  exit 1
}

for var in AZURE_RESOURCE_GROUP AZURE_KEY_VAULT_NAME AZURE_SQL_SERVER AZURE_SQL_SERVER_NAME \
  AZURE_SQL_DATABASE AZURE_USER_ASSIGNED_IDENTITY_NAME AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID; do
  [[ -n "${!var:-}" ]] || fail "$var is not set (azd sets it from the deployment outputs)"
done
for tool in az sqlcmd openssl dotnet; do
  command -v "$tool" >/dev/null || fail "'$tool' is not on PATH"
done
sqlcmd --help 2>&1 | grep -q -- '--authentication-method' ||
  fail "sqlcmd is not go-sqlcmd (needs --authentication-method); see docs/deploy.md"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
az_args=(--only-show-errors)
[[ -n "${AZURE_SUBSCRIPTION_ID:-}" ]] && az_args+=(--subscription "$AZURE_SUBSCRIPTION_ID")

scratch="$(mktemp -d)"
firewall_rule=""
cleanup() {
  if [[ -n "$firewall_rule" ]]; then
    az sql server firewall-rule delete "${az_args[@]}" --resource-group "$AZURE_RESOURCE_GROUP" \
      --server "$AZURE_SQL_SERVER_NAME" --name "$firewall_rule" --output none ||
      printf 'postprovision: could not remove firewall rule %s; remove it by hand\n' "$firewall_rule" >&2
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# --- 1. API keys ------------------------------------------------------------------------
# Created once and then left alone: rotation is a deliberate act (docs/deploy.md). The value
# goes through a private file, so it is on no command line and in no log. Role assignments
# made by this deployment can take a few minutes to apply, hence the retries.
ensure_api_key() {
  local name="$1" attempt err="$scratch/kv.err" value="$scratch/value"
  for attempt in $(seq 1 18); do
    if az keyvault secret show "${az_args[@]}" --vault-name "$AZURE_KEY_VAULT_NAME" --name "$name" \
      --query id --output tsv >/dev/null 2>"$err"; then
      say "Key Vault secret $name exists; kept"
      return
    fi
    if grep -q 'SecretNotFound' "$err"; then
      (umask 077 && openssl rand -hex 32 | tr -d '\n' >"$value")
      if az keyvault secret set "${az_args[@]}" --vault-name "$AZURE_KEY_VAULT_NAME" --name "$name" \
        --file "$value" --encoding utf-8 --content-type text/plain --output none 2>"$err"; then
        rm -f "$value"
        say "Key Vault secret $name created"
        return
      fi
      rm -f "$value"
    fi
    if grep -q 'ObjectIsDeletedButRecoverable' "$err"; then
      say "Key Vault secret $name is soft-deleted; recovering it"
      az keyvault secret recover "${az_args[@]}" --vault-name "$AZURE_KEY_VAULT_NAME" --name "$name" --output none 2>"$err" || true
    fi
    say "waiting for Key Vault access ($name, attempt $attempt)"
    sleep 10
  done
  cat "$err" >&2
  fail "could not read or write Key Vault secret $name"
}
ensure_api_key api-key-primary
ensure_api_key api-key-secondary

# --- 2. SQL firewall --------------------------------------------------------------------
sql() {
  sqlcmd -S "tcp:$AZURE_SQL_SERVER,1433" -d "$AZURE_SQL_DATABASE" \
    --authentication-method ActiveDirectoryDefault -l 60 -b "$@"
}

# Azure SQL names the caller's address when its firewall refuses it; that avoids asking a
# third-party service for it. Other failures (a serverless database resuming) are retried.
client_ip="${SQL_CLIENT_IP:-}"
if [[ -z "$client_ip" ]]; then
  for attempt in $(seq 1 6); do
    sql -Q 'SELECT 1' >"$scratch/probe.log" 2>&1 && break
    client_ip="$(grep -o "Client with IP address '[0-9.]*'" "$scratch/probe.log" | grep -o '[0-9.]*' | head -n 1 || true)"
    [[ -z "$client_ip" ]] || break
    [[ "$attempt" -lt 6 ]] || { cat "$scratch/probe.log" >&2; fail "cannot connect to $AZURE_SQL_SERVER"; }
    sleep 10
  done
fi
if [[ -n "$client_ip" ]]; then
  firewall_rule="postprovision-$(date +%s)"
  say "allowing $client_ip through the SQL firewall until this script ends"
  az sql server firewall-rule create "${az_args[@]}" --resource-group "$AZURE_RESOURCE_GROUP" \
    --server "$AZURE_SQL_SERVER_NAME" --name "$firewall_rule" \
    --start-ip-address "$client_ip" --end-ip-address "$client_ip" --output none
  for attempt in $(seq 1 12); do
    sql -Q 'SELECT 1' >"$scratch/probe.log" 2>&1 && break
    [[ "$attempt" -lt 12 ]] || { cat "$scratch/probe.log" >&2; fail "cannot connect to $AZURE_SQL_SERVER"; }
    sleep 10
  done
fi

# --- 3. Database user for the app identity ----------------------------------------------
# Data read/write only: the app never changes the schema; migrations run as the admin.
identity="$AZURE_USER_ASSIGNED_IDENTITY_NAME"
[[ "$identity" =~ ^[A-Za-z0-9_-]+$ ]] || fail "unexpected identity name '$identity'"
client_id="${AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID,,}"
[[ "$client_id" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] ||
  fail "unexpected identity client id '$client_id'"

if [[ "${AZURE_PRINCIPAL_TYPE:-User}" == "ServicePrincipal" ]]; then
  # A service principal admin cannot look names up in Microsoft Graph without extra directory
  # permissions, so the user is made from the identity's client id: the SID is that GUID's bytes.
  hex="${client_id//-/}"
  sid="0x${hex:6:2}${hex:4:2}${hex:2:2}${hex:0:2}${hex:10:2}${hex:8:2}${hex:14:2}${hex:12:2}${hex:16:16}"
  create_user="CREATE USER [$identity] WITH SID = $sid, TYPE = E;"
else
  create_user="CREATE USER [$identity] FROM EXTERNAL PROVIDER;"
fi
sql -Q "SET NOCOUNT ON;
IF NOT EXISTS (SELECT 1 FROM sys.database_principals WHERE name = N'$identity')
    $create_user
ALTER ROLE db_datareader ADD MEMBER [$identity];
ALTER ROLE db_datawriter ADD MEMBER [$identity];"
say "database user $identity has db_datareader and db_datawriter"

# --- 4. Migrations ----------------------------------------------------------------------
if [[ "${SKIP_MIGRATIONS:-false}" == "true" ]]; then
  say "SKIP_MIGRATIONS=true: migrations not applied"
  exit 0
fi
cd "$root"
# The domain project's design-time factory reads these two settings.
export Database__Provider=SqlServer
export Database__ConnectionString="Server=tcp:$AZURE_SQL_SERVER,1433;Database=$AZURE_SQL_DATABASE;Authentication=Active Directory Default;Encrypt=True;TrustServerCertificate=False;Connect Timeout=60;"
[[ -f .config/dotnet-tools.json ]] && dotnet tool restore
dotnet ef database update \
  --project WebhookFunctions.Domain \
  --startup-project WebhookFunctions.SelfHost \
  --context SqlServerWebhookDbContext
say "migrations applied to $AZURE_SQL_DATABASE"
