// The fake Railway API endpoint: one POST of {query, variables, operationName} in, HTTP status and body out.
// A syntax error, an unknown field or bad variables is a request error: HTTP 400 and no data (facts sheet
// railway-cli-since-5.43.md §7; variable coercion errors are treated the same way [Inf]). Errors while
// executing a valid request come back as HTTP 200 with `errors[]` next to `data`.
import {
  buildSchema,
  executeSync,
  getOperationAST,
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Host } from '../paths.ts';
import { mutate, readState, withDefaults } from '../state.ts';
import type { FakeState } from '../types.ts';
import { rootValue, type ApiAuth, type ApiContext } from './resolvers.ts';
import { SDL } from './schema.ts';

export interface ApiRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName?: string | undefined;
}
export interface ApiResponse {
  status: number;
  body: unknown;
}

let schema: GraphQLSchema | undefined;
const getSchema = () => (schema ??= buildSchema(SDL));

const badRequest = (errors: readonly GraphQLError[]): ApiResponse => ({
  status: 400,
  body: { errors: errors.map((e) => e.toJSON()) },
});

export interface OperationSummary {
  type: 'query' | 'mutation' | 'subscription' | null;
  rootFields: string[];
}

function rootFieldNames(document: DocumentNode, selectionSet: SelectionSetNode, seen = new Set<string>()): string[] {
  return selectionSet.selections.flatMap((sel) => {
    if (sel.kind === Kind.FIELD) return [sel.name.value];
    if (sel.kind === Kind.INLINE_FRAGMENT) return rootFieldNames(document, sel.selectionSet, seen);
    if (seen.has(sel.name.value)) return [];
    seen.add(sel.name.value);
    const fragment = document.definitions.find(
      (d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === sel.name.value,
    );
    return fragment && fragment.kind === Kind.FRAGMENT_DEFINITION
      ? rootFieldNames(document, fragment.selectionSet, seen)
      : [];
  });
}

/** The operation type and root fields a document would run (empty when it does not parse). */
export function summarize(query: string, operationName: string | undefined): OperationSummary {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return { type: null, rootFields: [] };
  }
  const op = getOperationAST(document, operationName ?? null);
  if (!op) return { type: null, rootFields: [] };
  return { type: op.operation, rootFields: [...new Set(rootFieldNames(document, op.selectionSet))] };
}

export function serveGraphql(host: Host, auth: ApiAuth, req: ApiRequest): ApiResponse {
  let document: DocumentNode;
  try {
    document = parse(req.query);
  } catch (e) {
    if (e instanceof GraphQLError) return badRequest([e]);
    throw e;
  }
  const errors = validate(getSchema(), document);
  if (errors.length) return badRequest(errors);
  const op = getOperationAST(document, req.operationName ?? null);
  const run = (state: FakeState) => {
    const contextValue: ApiContext = { host, state: withDefaults(state), auth };
    return executeSync({
      schema: getSchema(),
      document,
      rootValue,
      contextValue,
      variableValues: req.variables,
      operationName: req.operationName ?? null,
    });
  };
  // A mutation runs under the state lock, so its changes and the deployments it starts land together.
  const result = op?.operation === 'mutation' ? mutate(host.dir, run) : run(readState(host.dir));
  if (result.data === undefined) return badRequest(result.errors ?? []);
  const body: Record<string, unknown> = { data: result.data };
  if (result.errors?.length) body.errors = result.errors.map((e) => e.toJSON());
  return { status: 200, body };
}
