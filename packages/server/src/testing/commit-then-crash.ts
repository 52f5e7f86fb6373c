// Test fixture, run as a child process: acknowledges one commit, then dies at once (SIGKILL), so
// DuckDB has not applied it yet and only the ingest log has it.
import { createDuckDbEngine } from '../store/duckdb/duckdb-engine.ts';
import { createWriteBatch } from '../store/index.ts';
import { makeEventRow } from './event-row-fixture.ts';

const [path, countText] = process.argv.slice(2);
const engine = await createDuckDbEngine({ path: String(path) });
await engine.migrate();
const events = Array.from({ length: Number(countText) }, () => makeEventRow());
await engine.commit(createWriteBatch({ events }));
process.stdout.write(JSON.stringify(events.map((event) => event.eventId)));
process.kill(process.pid, 'SIGKILL');
