// Key Vault in RBAC mode for the management API keys. The secrets themselves are written by
// infra/scripts/postprovision.sh, never by a template or a parameter file.

@minLength(3)
@maxLength(24)
param name string
param location string
@description('Tags for every resource (azd-env-name at least).')
param tags { *: string }

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    // The keys can be regenerated; a short retention lets `azd down --purge` and a new `azd up` reuse the name sooner.
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
