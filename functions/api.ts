/**
 * Lambda handler for the HTTP API: the same Hono app as `rightsize serve`, built once per container on the
 * configured store (DynamoDB + S3 when deployed). Bearer tokens come from RIGHTSIZE_API_TOKENS or, preferably, the
 * SecureString named by RIGHTSIZE_API_TOKENS_SSM_PARAMETER.
 */
import { handle } from 'hono/aws-lambda';
import { createApp } from '../src/api/app.js';
import { runtime } from '../src/deploy/runtime.js';
import { storedBudgetStatusSource } from '../src/budgets/stored-status.js';
import { adviseInstances } from '../src/engine/advice.js';

type LambdaHandler = ReturnType<typeof handle>;
let built: Promise<LambdaHandler> | undefined;

async function build(): Promise<LambdaHandler> {
  const { config, catalog, store, ledger: openLedger } = await runtime();
  const ledger = await openLedger();
  return handle(
    createApp({
      store,
      catalog,
      advise: (request) => adviseInstances(request, catalog, config.engine),
      settings: config.engine,
      // Budget status computed once per snapshot and kept in the store, shared by every container.
      budgets: storedBudgetStatusSource({ store, catalog, budgets: config.budgets, nowMs: Date.now, ledger }),
      ledger,
      responseCacheBytes: config.server.responseCacheBytes,
      // Lambda is reachable from outside: never without tokens (with none configured every /v1 request gets 401).
      auth: { tokenSha256: config.auth.tokenSha256 },
      cors: { origins: config.server.corsOrigins },
      bodyLimitBytes: config.server.bodyLimitBytes,
      ...(config.server.publicBaseUrl ? { publicBaseUrl: config.server.publicBaseUrl } : {}),
      logger: (line) => console.log(line),
    }),
  );
}

export const handler: LambdaHandler = async (event, context) => {
  built ??= build().catch((err: unknown) => {
    built = undefined;
    throw err;
  });
  return (await built)(event, context);
};
