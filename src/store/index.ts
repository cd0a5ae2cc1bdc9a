export type { Store, Page, PageRequest, InstanceFilter, RecommendationFilter, AnalysisResults, ClaimResult } from './store.js';
export { InvalidCursorError } from './cursor.js';
export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.js';
