import { DuckDBInstance } from '@duckdb/node-api';
const i = await DuckDBInstance.create(':memory:');
const c = await i.connect();
const q = process.argv[2];
const r = await c.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS j', [q]);
console.log(JSON.stringify(JSON.parse(r.getRowObjectsJson()[0].j), null, 1).slice(0, 6000));
