// Rightsize Azure collector: read-only role assignments on one subscription.
// Deploy once per subscription:
//   az deployment sub create --subscription <id> --location <region> \
//     --template-file infra/azure/rightsize-reader.bicep --parameters principalId=<service principal object id>
// Reader (*/read) covers both calls the collector makes: Microsoft.Compute/virtualMachines/read (virtualMachines
// listAll) and Microsoft.Insights/metrics/read (Azure Monitor metrics). Prices come from the anonymous Azure Retail
// Prices API and need nothing.
targetScope = 'subscription'

@description('Object id of the service principal (enterprise application, not the app registration) Rightsize signs in as.')
param principalId string

@description('Also assign Monitoring Reader. Not needed by Rightsize (Reader already grants metrics read) and it adds Microsoft.OperationalInsights/workspaces/search/action (Log Analytics queries) and Microsoft.Support/* (support tickets): leave false unless your policy requires it.')
param assignMonitoringReader bool = false

var readerRoleId = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
var monitoringReaderRoleId = '43d0d8ad-25c7-4714-9337-8ba259a9fe05'

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, readerRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', readerRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Rightsize collector: VM inventory and Azure Monitor metrics (read-only)'
  }
}

resource monitoringReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (assignMonitoringReader) {
  name: guid(subscription().id, principalId, monitoringReaderRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringReaderRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Rightsize collector: Azure Monitor (read-only)'
  }
}

output readerAssignmentId string = reader.id
output monitoringReaderAssignmentId string = assignMonitoringReader ? monitoringReader.id : ''
