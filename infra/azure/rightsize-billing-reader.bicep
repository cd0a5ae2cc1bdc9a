// Rightsize bill import on Azure: read-only access to actual cost, nothing else.
// Deploy once per subscription whose costs Rightsize reads (Cost Management Query/Forecast):
//   az deployment sub create --subscription <id> --location <region> \
//     --template-file infra/azure/rightsize-billing-reader.bicep --parameters principalId=<service principal object id>
// Cost Management Reader grants Microsoft.CostManagement/*/read and the query/forecast actions on the scope.
// The FOCUS export itself (Cost Management → Exports → "Cost and usage details (FOCUS)", daily, Parquet) is read with
// Storage Blob Data Reader on the export's storage account (see infra/README.md, "From your bill"): assign it on the
// storage account, not the subscription, with:
//   az role assignment create --assignee-object-id <principal> --assignee-principal-type ServicePrincipal \
//     --role 'Storage Blob Data Reader' --scope <storage account resource id>/blobServices/default/containers/<container>
targetScope = 'subscription'

@description('Object id of the service principal Rightsize signs in as.')
param principalId string

var costManagementReaderRoleId = '72fafb9e-0641-4937-9268-a91bfd8191a3'

resource costReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, costManagementReaderRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', costManagementReaderRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
    description: 'Rightsize bill import: Cost Management Query and Forecast (read-only)'
  }
}

output costReaderAssignmentId string = costReader.id
