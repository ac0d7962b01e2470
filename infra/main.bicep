// Entry point for `azd up` and `az deployment sub create`: creates the resource group and
// deploys everything into it through resources.bicep (which also works on its own at
// resource-group scope for `az deployment group create`).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; used in the resource group name and the naming token.')
param environmentName string

@minLength(1)
@description('Azure region for every resource. It must offer Flex Consumption and Azure SQL.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the deploying user or service principal: Entra admin of the SQL server, writer of the API keys.')
param principalId string

@allowed([
  'User'
  'ServicePrincipal'
])
@description('Kind of principal behind principalId.')
param principalType string = 'User'

@description('Name of an existing resource group to use instead of rg-<environmentName>.')
param resourceGroupName string = ''

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

@description('Email address the alert rules notify (docs/deploy.md). Empty: no alerts are deployed.')
param alertEmail string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'resources'
  scope: rg
  params: {
    environmentName: environmentName
    location: location
    resourceToken: resourceToken
    principalId: principalId
    principalType: principalType
    customDomain: customDomain
    sqlDatabaseSku: sqlDatabaseSku
    webhookCheckSchedule: webhookCheckSchedule
    checkerMinCheckInterval: checkerMinCheckInterval
    checkerPendingUpdateThreshold: checkerPendingUpdateThreshold
    checkerMaxConcurrency: checkerMaxConcurrency
    alertEmail: alertEmail
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = resources.outputs.AZURE_FUNCTION_APP_NAME
output SERVICE_API_NAME string = resources.outputs.AZURE_FUNCTION_APP_NAME
output SERVICE_API_URI string = resources.outputs.SERVICE_API_URI
output WEBHOOK_BASE_URL string = resources.outputs.WEBHOOK_BASE_URL
output AZURE_SQL_SERVER string = resources.outputs.AZURE_SQL_SERVER
output AZURE_SQL_SERVER_NAME string = resources.outputs.AZURE_SQL_SERVER_NAME
output AZURE_SQL_DATABASE string = resources.outputs.AZURE_SQL_DATABASE
output AZURE_KEY_VAULT_NAME string = resources.outputs.AZURE_KEY_VAULT_NAME
output AZURE_STORAGE_ACCOUNT_NAME string = resources.outputs.AZURE_STORAGE_ACCOUNT_NAME
output AZURE_USER_ASSIGNED_IDENTITY_NAME string = resources.outputs.AZURE_USER_ASSIGNED_IDENTITY_NAME
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = resources.outputs.AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID
