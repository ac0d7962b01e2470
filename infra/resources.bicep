// Everything the app needs, in one resource group. Deployed by main.bicep, or directly with
// `az deployment group create` into a resource group you made yourself.
targetScope = 'resourceGroup'

@minLength(1)
@maxLength(64)
@description('Environment name; tagged on every resource as azd-env-name.')
param environmentName string

@description('Azure region for every resource.')
param location string = resourceGroup().location

@minLength(5)
@maxLength(13)
@description('Short unique suffix for globally unique names.')
param resourceToken string = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))

@description('Object id of the deploying user or service principal: Entra admin of the SQL server, writer of the API keys.')
param principalId string

@allowed([
  'User'
  'ServicePrincipal'
])
@description('Kind of principal behind principalId.')
param principalType string = 'User'

@description('Custom domain (host name only, no scheme) that Telegram should call. Empty: the app\'s default host name.')
param customDomain string = ''

@allowed([
  'Basic'
  'S0'
  'GP_S_Gen5_1'
])
@description('SQL database SKU. See docs/deploy.md for the cost of each at idle.')
param sqlDatabaseSku string = 'Basic'

@description('NCRONTAB schedule of the webhook checker (six fields, seconds first).')
param webhookCheckSchedule string = '0 */5 * * * *'

@description('Least time between two checks of one bot (TimeSpan).')
param checkerMinCheckInterval string = '00:04:00'

@description('Pending update count above which the checker treats a webhook as stuck.')
param checkerPendingUpdateThreshold int = 100

@minValue(1)
@description('Most bots the checker handles at once.')
param checkerMaxConcurrency int = 32

@description('Email address the alert rules notify. Empty: no action group and no alert rules are deployed.')
param alertEmail string = ''

var abbrs = loadJsonContent('abbreviations.json')
var tags = {
  'azd-env-name': environmentName
}
var names = {
  identity: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
  storage: '${abbrs.storageStorageAccounts}${resourceToken}'
  logAnalytics: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  appInsights: '${abbrs.insightsComponents}${resourceToken}'
  keyVault: '${abbrs.keyVaultVaults}${resourceToken}'
  sqlServer: '${abbrs.sqlServers}${resourceToken}'
  sqlDatabase: '${abbrs.sqlServersDatabases}webhooks'
  plan: '${abbrs.webServerFarms}${resourceToken}'
  functionApp: '${abbrs.webSitesFunctions}${resourceToken}'
}
var updatesQueueName = 'telegram-updates'
// Shards of a sharded sweep (Sharding:Mode); the QueueTrigger CheckSweepShard consumes it.
var sweepShardQueueName = 'webhook-sweep-shards'
var deploymentContainerName = 'app-package'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: names.identity
  location: location
  tags: tags
}

module storage 'core/storage.bicep' = {
  name: 'storage'
  params: {
    name: names.storage
    location: location
    tags: tags
    queueNames: [
      updatesQueueName
      sweepShardQueueName
    ]
    containerNames: [
      deploymentContainerName
    ]
  }
}

module monitoring 'core/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    location: location
    tags: tags
  }
}

module keyVault 'core/key-vault.bicep' = {
  name: 'key-vault'
  params: {
    name: names.keyVault
    location: location
    tags: tags
  }
}

module sql 'core/sql.bicep' = {
  name: 'sql'
  params: {
    serverName: names.sqlServer
    databaseName: names.sqlDatabase
    location: location
    tags: tags
    databaseSku: sqlDatabaseSku
    adminObjectId: principalId
    adminLogin: 'azd-${environmentName}-admin'
    adminPrincipalType: principalType == 'ServicePrincipal' ? 'Application' : 'User'
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  dependsOn: [
    storage
    keyVault
    monitoring
  ]
  params: {
    appPrincipalId: identity.properties.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
    storageAccountName: names.storage
    keyVaultName: names.keyVault
    appInsightsName: names.appInsights
  }
}

module alerts 'core/alerts.bicep' = if (!empty(alertEmail)) {
  name: 'alerts'
  params: {
    appInsightsName: monitoring.outputs.appInsightsName
    location: location
    tags: tags
    alertEmail: alertEmail
    namePrefix: 'alert-${resourceToken}'
  }
}

module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  // The host needs its storage and Key Vault roles before its first start.
  dependsOn: [
    rbac
  ]
  params: {
    name: names.functionApp
    planName: names.plan
    location: location
    tags: union(tags, {
      'azd-service-name': 'api'
    })
    identityName: identity.name
    storageAccountName: names.storage
    deploymentContainerName: deploymentContainerName
    keyVaultName: names.keyVault
    appInsightsName: names.appInsights
    sqlServerFqdn: sql.outputs.serverFqdn
    sqlDatabaseName: sql.outputs.databaseName
    updatesQueueName: updatesQueueName
    sweepShardQueueName: sweepShardQueueName
    customDomain: customDomain
    webhookCheckSchedule: webhookCheckSchedule
    checkerMinCheckInterval: checkerMinCheckInterval
    checkerPendingUpdateThreshold: checkerPendingUpdateThreshold
    checkerMaxConcurrency: checkerMaxConcurrency
  }
}

output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionApp.outputs.uri
output WEBHOOK_BASE_URL string = '${functionApp.outputs.webhookDomain}/v1/api/webhooks/telegram'
output AZURE_SQL_SERVER string = sql.outputs.serverFqdn
output AZURE_SQL_SERVER_NAME string = sql.outputs.serverName
output AZURE_SQL_DATABASE string = sql.outputs.databaseName
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_USER_ASSIGNED_IDENTITY_NAME string = identity.name
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.properties.clientId
output AZURE_RESOURCE_GROUP string = resourceGroup().name
