// The subset of Railway's public GraphQL schema the fake API serves (names, arguments, types and
// descriptions as in railwayapp/cli src/gql/schema.json at v5.43.1). Anything else is an unknown field:
// graphql-js validation rejects it the way Railway does (HTTP 400, facts sheet railway-cli-since-5.43.md §7).
export const SDL = /* GraphQL */ `
  "A date-time string at UTC, such as 2007-12-03T10:15:30Z."
  scalar DateTime
  "EnvironmentVariables is a custom scalar type that represents a map of environment variables."
  scalar EnvironmentVariables
  "EnvironmentConfig is a custom scalar type that represents the serializedConfig for an environment."
  scalar EnvironmentConfig
  scalar DeploymentMeta

  enum DeploymentStatus {
    BUILDING
    CRASHED
    DEPLOYING
    FAILED
    INITIALIZING
    NEEDS_APPROVAL
    QUEUED
    REMOVED
    REMOVING
    SKIPPED
    SLEEPING
    SUCCESS
    WAITING
  }

  type Query {
    "All variables by pluginId or serviceId. If neither are provided, all shared variables are returned."
    variables(environmentId: String!, projectId: String!, serviceId: String, unrendered: Boolean): EnvironmentVariables!
    "All rendered variables that are required for a service deployment."
    variablesForServiceDeployment(environmentId: String!, projectId: String!, serviceId: String!): EnvironmentVariables!
    "Find a single deployment"
    deployment(id: String!): Deployment!
    "Fetch logs for a deployment"
    deploymentLogs(deploymentId: String!, endDate: DateTime, filter: String, limit: Int, startDate: DateTime): [Log!]!
    "Find a single environment"
    environment(id: String!, projectId: String): Environment!
    "Get a single project token by the value in the header"
    projectToken: ProjectToken!
  }

  type Mutation {
    "Upserts a variable."
    variableUpsert(input: VariableUpsertInput!): Boolean!
    "Upserts a collection of variables."
    variableCollectionUpsert(input: VariableCollectionUpsertInput!): Boolean!
    "Deletes a variable."
    variableDelete(input: VariableDeleteInput!): Boolean!
    "Redeploys a deployment."
    deploymentRedeploy(id: String!, usePreviousImageTag: Boolean): Deployment!
    "Commit the provided patch to the environment."
    environmentPatchCommit(commitMessage: String, environmentId: String!, patch: EnvironmentConfig): String!
    "Sets the staged patch for a single environment."
    environmentStageChanges(environmentId: String!, input: EnvironmentConfig!, merge: Boolean): EnvironmentPatch!
  }

  input VariableUpsertInput {
    environmentId: String!
    name: String!
    projectId: String!
    serviceId: String
    "Skip deploys for affected services"
    skipDeploys: Boolean
    value: String!
  }

  input VariableCollectionUpsertInput {
    environmentId: String!
    projectId: String!
    "When set to true, removes all existing variables before upserting the new collection."
    replace: Boolean
    serviceId: String
    "Skip deploys for affected services"
    skipDeploys: Boolean
    variables: EnvironmentVariables!
  }

  input VariableDeleteInput {
    environmentId: String!
    name: String!
    projectId: String!
    serviceId: String
  }

  type Deployment {
    canRedeploy: Boolean!
    canRollback: Boolean!
    createdAt: DateTime!
    "Check if a deployment's instances have all stopped"
    deploymentStopped: Boolean!
    environmentId: String!
    id: ID!
    meta: DeploymentMeta
    projectId: String!
    serviceId: String
    staticUrl: String
    status: DeploymentStatus!
    statusUpdatedAt: DateTime
    updatedAt: DateTime!
    url: String
  }

  "The result of a logs query."
  type Log {
    "The attributes that were parsed from a structured log"
    attributes: [LogAttribute!]!
    "The contents of the log message"
    message: String!
    "The severity of the log message (eg. err)"
    severity: String
    "The tags that were associated with the log"
    tags: LogTags
    "The timestamp of the log message in format RFC3339 (nano)"
    timestamp: String!
  }

  "The attributes associated with a structured log"
  type LogAttribute {
    key: String!
    value: String!
  }

  "The tags associated with a specific log"
  type LogTags {
    deploymentId: String
    environmentId: String
    projectId: String
    serviceId: String
  }

  type Environment {
    canAccess: Boolean!
    config(decryptVariables: Boolean): EnvironmentConfig!
    createdAt: DateTime!
    deletedAt: DateTime
    id: ID!
    isEphemeral: Boolean!
    name: String!
    projectId: String!
    unmergedChangesCount: Int
    updatedAt: DateTime!
    variables(after: String, before: String, first: Int, last: Int): EnvironmentVariablesConnection!
  }

  type EnvironmentVariablesConnection {
    edges: [EnvironmentVariablesConnectionEdge!]!
    pageInfo: PageInfo!
  }

  type EnvironmentVariablesConnectionEdge {
    cursor: String!
    node: Variable!
  }

  type PageInfo {
    endCursor: String
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
  }

  type Variable {
    createdAt: DateTime!
    environmentId: String
    id: ID!
    isSealed: Boolean!
    name: String!
    references: [String!]!
    "Null for a shared variable: selecting it there fails the whole list."
    service: Service!
    serviceId: String
    updatedAt: DateTime!
  }

  type Service {
    id: ID!
    name: String!
  }

  type ProjectToken {
    createdAt: DateTime!
    displayToken: String!
    environment: Environment!
    environmentId: String!
    id: ID!
    name: String!
    projectId: String!
  }

  type EnvironmentPatch {
    createdAt: DateTime!
    environmentId: String!
    id: ID!
    message: String
    patch: EnvironmentConfig!
  }
`;
