// Storage for the Functions host, the deployment package and the updates queue. Shared-key
// access is off: every caller authenticates with Microsoft Entra ID.

@minLength(3)
@maxLength(24)
param name string
param location string
@description('Tags for every resource (azd-env-name at least).')
param tags { *: string }

@description('Queues to create.')
param queueNames string[]

@description('Private blob containers to create.')
param containerNames string[]

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    publicNetworkAccess: 'Enabled'
    supportsHttpsTrafficOnly: true
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  resource blobs 'blobServices' = {
    name: 'default'

    resource containers 'containers' = [
      for container in containerNames: {
        name: container
        properties: {
          publicAccess: 'None'
        }
      }
    ]
  }

  resource queues 'queueServices' = {
    name: 'default'

    resource items 'queues' = [
      for queue in queueNames: {
        name: queue
      }
    ]
  }
}

output name string = account.name
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
