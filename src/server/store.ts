// The results store: finished runs in one DuckDB file, written by one process (DuckDB locks the file; a second
// `tariffsim serve` on the same store fails at start-up with a message). A run is one row of `runs` (inputs,
// versions, status, the JSON report) plus its table in `run_rows` (one JSON object per row), written in one
// transaction: after a crash (kill -9 mid-write) a run is either absent or complete. Parquet export goes
// through a temporary typed table and DuckDB's COPY.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import type { TableRow } from './tables.ts';

export interface StoredRun {
  id: string;
  kind: string;
  status: 'succeeded' | 'failed';
  created: string;
  finished: string;
  seconds: number;
  /** The canonical inputs the id hashes (JSON). */
  inputs: unknown;
  versions: Record<string, string>;
  /** Convergence of the solve(s): iterations and residuals. */
  convergence: unknown;
  /** Failed runs: the problem (RFC 9457 members). */
  error: unknown;
  rows: number;
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS runs (
     id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, status VARCHAR NOT NULL, created VARCHAR NOT NULL, finished VARCHAR NOT NULL,
     seconds DOUBLE NOT NULL, inputs VARCHAR NOT NULL, versions VARCHAR NOT NULL, convergence VARCHAR, error VARCHAR,
     result VARCHAR, n_rows INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS run_rows (run_id VARCHAR NOT NULL, row_no INTEGER NOT NULL, row VARCHAR NOT NULL)`,
];

const CHUNK = 400;

export class ResultStore {
  private constructor(
    readonly file: string,
    private readonly instance: DuckDBInstance,
    private readonly writer: DuckDBConnection,
    private readonly reader: DuckDBConnection,
  ) {}

  private chain: Promise<unknown> = Promise.resolve();

  /** Opens (or creates) the store; an incomplete run (rows missing) is removed, so every run read is complete. */
  static async open(file: string): Promise<ResultStore> {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(file);
    } catch (e) {
      const msg = (e as Error).message;
      throw new Error(/lock/i.test(msg) ? `the results store ${file} is open in another process (one writer at a time): ${msg}` : `cannot open the results store ${file}: ${msg}`);
    }
    const writer = await instance.connect();
    const reader = await instance.connect();
    for (const sql of SCHEMA) await writer.run(sql);
    await writer.run(`DELETE FROM runs WHERE n_rows <> (SELECT count(*) FROM run_rows WHERE run_id = runs.id)`);
    await writer.run(`DELETE FROM run_rows WHERE run_id NOT IN (SELECT id FROM runs)`);
    return new ResultStore(file, instance, writer, reader);
  }

  /** Every stored run's metadata (no reports). */
  async list(): Promise<StoredRun[]> {
    const r = await this.reader.runAndReadAll('SELECT id, kind, status, created, finished, seconds, inputs, versions, convergence, error, n_rows FROM runs ORDER BY created');
    return r.getRowObjectsJS().map((o) => ({
      id: String(o.id),
      kind: String(o.kind),
      status: o.status as StoredRun['status'],
      created: String(o.created),
      finished: String(o.finished),
      seconds: Number(o.seconds),
      inputs: JSON.parse(String(o.inputs)),
      versions: JSON.parse(String(o.versions)),
      convergence: o.convergence === null ? null : JSON.parse(String(o.convergence)),
      error: o.error === null ? null : JSON.parse(String(o.error)),
      rows: Number(o.n_rows),
    }));
  }

  async count(): Promise<number> {
    const r = await this.reader.runAndReadAll('SELECT count(*) AS n FROM runs');
    return Number(r.getRowObjectsJS()[0].n);
  }

  /** The JSON text of a stored run's report, or null. */
  async resultJson(id: string): Promise<string | null> {
    const r = await this.reader.runAndReadAll('SELECT result FROM runs WHERE id = $1', [id]);
    const rows = r.getRows();
    return rows.length && rows[0][0] !== null ? String(rows[0][0]) : null;
  }

  async rows(id: string): Promise<TableRow[]> {
    const r = await this.reader.runAndReadAll('SELECT row FROM run_rows WHERE run_id = $1 ORDER BY row_no', [id]);
    return r.getRows().map((x) => JSON.parse(String(x[0])) as TableRow);
  }

  /** Writes a finished run and its table in one transaction (serialized with other writes). */
  put(run: StoredRun, resultJson: string | null, rows: TableRow[]): Promise<void> {
    const task = this.chain.then(() => this.write(run, resultJson, rows));
    this.chain = task.catch(() => undefined);
    return task;
  }

  private async write(run: StoredRun, resultJson: string | null, rows: TableRow[]): Promise<void> {
    const w = this.writer;
    await w.run('BEGIN TRANSACTION');
    try {
      await w.run('DELETE FROM run_rows WHERE run_id = $1', [run.id]);
      await w.run('DELETE FROM runs WHERE id = $1', [run.id]);
      await w.run('INSERT INTO runs VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)', [
        run.id, run.kind, run.status, run.created, run.finished, run.seconds, JSON.stringify(run.inputs), JSON.stringify(run.versions),
        run.convergence == null ? null : JSON.stringify(run.convergence), run.error == null ? null : JSON.stringify(run.error), resultJson, rows.length,
      ]);
      // Fault injection for the crash test: pause inside the transaction, after the run row and before its table.
      const delay = Number(process.env.TARIFFSIM_STORE_WRITE_DELAY_MS ?? 0);
      if (delay > 0) {
        process.stderr.write(`store: writing run ${run.id}\n`);
        await new Promise((r) => setTimeout(r, delay));
      }
      for (let k = 0; k < rows.length; k += CHUNK) {
        const part = rows.slice(k, k + CHUNK);
        const values: DuckDBValue[] = [];
        const tuples = part.map((row, j) => {
          values.push(run.id, k + j, JSON.stringify(row));
          const b = 3 * j;
          return `($${b + 1}, $${b + 2}, $${b + 3})`;
        });
        await w.run(`INSERT INTO run_rows VALUES ${tuples.join(', ')}`, values);
      }
      await w.run('COMMIT');
    } catch (e) {
      await w.run('ROLLBACK').catch(() => undefined);
      throw e;
    }
  }

  delete(id: string): Promise<void> {
    const task = this.chain.then(async () => {
      await this.writer.run('BEGIN TRANSACTION');
      await this.writer.run('DELETE FROM run_rows WHERE run_id = $1', [id]);
      await this.writer.run('DELETE FROM runs WHERE id = $1', [id]);
      await this.writer.run('COMMIT');
    });
    this.chain = task.catch(() => undefined);
    return task;
  }

  /** A run's table as Parquet bytes: columns typed DOUBLE, BOOLEAN or VARCHAR from the values. */
  async parquet(rows: TableRow[]): Promise<Buffer> {
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const typeOf = (c: string) => {
      const vs = rows.map((r) => r[c]).filter((v) => v !== null && v !== undefined);
      if (vs.length && vs.every((v) => typeof v === 'number')) return 'DOUBLE';
      if (vs.length && vs.every((v) => typeof v === 'boolean')) return 'BOOLEAN';
      return 'VARCHAR';
    };
    const types = columns.map(typeOf);
    const name = `export_${randomUUID().replace(/-/g, '')}`;
    const q = (c: string) => `"${c.replace(/"/g, '""')}"`;
    const file = join(tmpdir(), `${name}.parquet`);
    const task = this.chain.then(async () => {
      const c = this.writer;
      await c.run(`CREATE TEMP TABLE ${name} (${columns.map((col, k) => `${q(col)} ${types[k]}`).join(', ')})`);
      try {
        for (let k = 0; k < rows.length; k += CHUNK) {
          const part = rows.slice(k, k + CHUNK);
          const values: DuckDBValue[] = [];
          const tuples = part.map((row, j) => {
            columns.forEach((col, i) => {
              const v = row[col];
              values.push(v === undefined || v === null ? null : types[i] === 'VARCHAR' ? String(v) : (v as number | boolean));
            });
            return `(${columns.map((_, i) => `$${j * columns.length + i + 1}`).join(', ')})`;
          });
          if (tuples.length) await c.run(`INSERT INTO ${name} VALUES ${tuples.join(', ')}`, values);
        }
        await c.run(`COPY ${name} TO '${file.replace(/'/g, "''")}' (FORMAT parquet)`);
        return readFileSync(file);
      } finally {
        await c.run(`DROP TABLE IF EXISTS ${name}`).catch(() => undefined);
        rmSync(file, { force: true });
      }
    });
    this.chain = task.catch(() => undefined);
    return task;
  }

  close(): void {
    this.reader.closeSync();
    this.writer.closeSync();
    this.instance.closeSync();
  }
}
