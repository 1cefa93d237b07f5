// The one way every app opens its SQLite state: better-sqlite3 through Kysely, WAL and foreign keys on,
// migrated from a static list of `NNNN-name` migrations. It knows no table of any app.

export * from './open-sqlite.js';
