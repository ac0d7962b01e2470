// The Functions app on a Flex Consumption plan, running as its user-assigned identity, and
// every app setting the code reads. No setting holds a secret: storage, SQL and telemetry use
// the identity, and the API keys are Key Vault references.

param name string
param planName string
param location string
@description('Tags for every resource (azd-env-name at least).')
param tags { *: string }

@description('User-assigned identity the app runs as (storage, SQL, Key Vault, telemetry).')
param identityName string
param storageAccountName string
param deploymentContainerName string
param keyVaultName string
param appInsightsName string
param sqlServerFqdn string
param sqlDatabaseName string
param updatesQueueName string
param sweepShardQueueName string

@description('Custom domain (host name only). Empty: the app\'s default host name.')
param customDomain string = ''
param webhookCheckSchedule string
param checkerMinCheckInterval string
param checkerPendingUpdateThreshold int
param checkerMaxConcurrency int

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@minValue(1)
param maximumInstanceCount int = 40

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
    }
  }

  // Deployments authenticate with Entra ID (azd, az); FTP and SCM basic auth stay off.
  resource ftpCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scmCredentials 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }
}

var webhookDomain = 'https://${!empty(customDomain) ? customDomain : site.properties.defaultHostName}'
var apiKeySecretUri = '${vault.properties.vaultUri}secrets'

// A separate resource so the settings can use the site's own default host name.
resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: site
  name: 'appsettings'
  properties: {
    // Functions host storage, through the identity (no connection string).
    AzureWebJobsStorage__accountName: storage.name
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identity.properties.clientId

    // Telemetry with Entra auth (local auth is off on the component).
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'

    // DefaultAzureCredential in the app picks the user-assigned identity.
    AZURE_CLIENT_ID: identity.properties.clientId

    // glibc: two malloc arenas keep a long sweep's native memory from fragmenting across many (docs/checker.md).
    MALLOC_ARENA_MAX: '2'

    Webhook__Mode: 'Domain'
    Webhook__Domain: webhookDomain

    Database__Provider: 'SqlServer'
    Database__ConnectionString: 'Server=tcp:${sqlServerFqdn},1433;Database=${sqlDatabaseName};Encrypt=True;TrustServerCertificate=False;'
    Database__UseAzureIdentity: 'true'

    WEBHOOK_CHECK_SCHEDULE: webhookCheckSchedule
    Checker__MinCheckInterval: checkerMinCheckInterval
    Checker__PendingUpdateThreshold: string(checkerPendingUpdateThreshold)
    Checker__MaxConcurrency: string(checkerMaxConcurrency)

    UpdateQueue__Name: updatesQueueName
    // The QueueTrigger reads %SWEEP_SHARD_QUEUE% on AzureWebJobsStorage; the library sends to the same queue (UpdateQueue's account).
    SWEEP_SHARD_QUEUE: sweepShardQueueName
    UpdateQueue__ServiceUri: 'https://${storage.name}.queue.${environment().suffixes.storage}'

    // Versionless references: the app picks up a rotated key on restart or within ~24 hours.
    Auth__ApiKeys__0: '@Microsoft.KeyVault(SecretUri=${apiKeySecretUri}/api-key-primary/)'
    Auth__ApiKeys__1: '@Microsoft.KeyVault(SecretUri=${apiKeySecretUri}/api-key-secondary/)'
  }
}

output name string = site.name
output uri string = 'https://${site.properties.defaultHostName}'
output webhookDomain string = webhookDomain
