/**
 * Lambda handler for the HTTP API: the same Hono app as `rightsize serve`, built once per container.
 * The store is the embedded SQLite store under RIGHTSIZE_DATA_DIR until the DynamoDB store lands (issue 7).
 */
import { handle } from 'hono/aws-lambda';
import { createApp } from '../src/api/app.js';
import { loadCatalog } from '../src/catalog/load.js';
import { loadConfig } from '../src/config.js';
import { adviseInstances } from '../src/engine/advice.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const config = loadConfig({ env: process.env });
const catalog = loadCatalog(config.catalogDir);
const store = openSqliteStore({ dataDir: config.dataDir, retentionDays: config.retentionDays });

export const handler = handle(
  createApp({
    store,
    catalog,
    advise: (request) => adviseInstances(request, catalog, config.engine),
    // Lambda is reachable from outside: never without tokens.
    auth: { tokenSha256: config.auth.tokenSha256 },
    cors: { origins: config.server.corsOrigins },
    bodyLimitBytes: config.server.bodyLimitBytes,
    ...(config.server.publicBaseUrl ? { publicBaseUrl: config.server.publicBaseUrl } : {}),
    logger: (line) => console.log(line),
  }),
);
