// Azure SQL logical server and database with Microsoft Entra-only authentication: there is no
// SQL login and no password anywhere. The app's database user is created after provisioning
// by infra/scripts/postprovision.sh.

param serverName string
param databaseName string
param location string
@description('Tags for every resource (azd-env-name at least).')
param tags { *: string }

@allowed([
  'Basic'
  'S0'
  'GP_S_Gen5_1'
])
param databaseSku string

@description('Object id of the Entra principal that administers the server.')
param adminObjectId string

@description('Display name recorded for the Entra administrator.')
param adminLogin string

@allowed([
  'User'
  'Group'
  'Application'
])
param adminPrincipalType string

@minValue(15)
@description('Minutes of inactivity before a serverless database pauses (serverless SKU only).')
param autoPauseDelayMinutes int = 60

var serverless = databaseSku == 'GP_S_Gen5_1'
var skus = {
  Basic: {
    name: 'Basic'
    tier: 'Basic'
  }
  S0: {
    name: 'S0'
    tier: 'Standard'
  }
  GP_S_Gen5_1: {
    name: 'GP_S_Gen5'
    tier: 'GeneralPurpose'
    family: 'Gen5'
    capacity: 1
  }
}
var gigabyte = 1073741824

resource server 'Microsoft.Sql/servers@2025-01-01' = {
  name: serverName
  location: location
  tags: tags
  properties: {
    version: '12.0'
    minimalTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    administrators: {
      administratorType: 'ActiveDirectory'
      azureADOnlyAuthentication: true
      login: adminLogin
      sid: adminObjectId
      principalType: adminPrincipalType
      tenantId: tenant().tenantId
    }
  }

  // 0.0.0.0 is the documented marker for "connections from Azure services"; the Flex
  // Consumption app has no fixed outbound address without a virtual network.
  resource allowAzureServices 'firewallRules' = {
    name: 'AllowAllWindowsAzureIps'
    properties: {
      startIpAddress: '0.0.0.0'
      endIpAddress: '0.0.0.0'
    }
  }

  resource database 'databases' = {
    name: databaseName
    location: location
    tags: tags
    sku: skus[databaseSku]
    properties: {
      collation: 'SQL_Latin1_General_CP1_CI_AS'
      maxSizeBytes: (serverless ? 32 : 2) * gigabyte
      zoneRedundant: false
      autoPauseDelay: serverless ? autoPauseDelayMinutes : null
      minCapacity: serverless ? json('0.5') : null
    }
  }
}

output serverName string = server.name
output serverFqdn string = server.properties.fullyQualifiedDomainName
output databaseName string = server::database.name
