// The policy tariff-matrix cache (src/node/policy-cache.ts): a cached matrix equals the stored one exactly; a
// different key, a changed input file or a corrupt entry is a miss; off under TypeScript unless a folder is given.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { withCacheEnv } from '../helpers/env.ts';
import { policyMatrixCache } from '../../src/node/policy-cache.ts';
import type { DatasetRow } from '../../src/app/registry.ts';
import type { TariffMatrix } from '../../src/policy/matrix.ts';

test('policy matrices: exact round trip, keyed by the scenario key and the input files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tariffsim-policy-cache-'));
  try {
    const dataDir = join(dir, 'shared');
    mkdirSync(join(dataDir, 'us-tariffs'), { recursive: true });
    writeFileSync(join(dataDir, 'us-tariffs', 'weights.csv'), 'a\n1\n');
    const worldFile = join(dir, 'world.json');
    writeFileSync(worldFile, '{}');
    const row = { id: 'toy', model: 'cp', source: { kind: 'project-file', file: worldFile, format: 'tariffsim-world' } } as unknown as DatasetRow;
    const cacheDir = join(dir, 'cache');
    const matrix: TariffMatrix = {
      tariff: Float64Array.from([0.1, 1 / 3, Math.PI / 7, 1e-17, 0]),
      date: '2025-04-15',
      relativeTo: '2025-01-01',
      mode: 'change',
      covered: Uint8Array.from([1, 0, 1, 1, 0]),
      usAverage: { date: 27.123456789012345, relativeTo: 2.4 },
      notes: ['a note'],
    };
    const c = policyMatrixCache(row, dataDir, cacheDir)!;
    assert.equal(c.get('k1'), null);
    c.set('k1', matrix);
    const hit = policyMatrixCache(row, dataDir, cacheDir)!.get('k1')!;
    assert.deepEqual(Buffer.from(hit.tariff.buffer), Buffer.from(matrix.tariff.buffer), 'the same bits');
    assert.deepEqual({ ...hit, tariff: 0, covered: Array.from(hit.covered) }, { ...matrix, tariff: 0, covered: Array.from(matrix.covered) });
    assert.equal(policyMatrixCache(row, dataDir, cacheDir)!.get('k2'), null, 'another policy block is another key');
    utimesSync(join(dataDir, 'us-tariffs', 'weights.csv'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    assert.equal(policyMatrixCache(row, dataDir, cacheDir)!.get('k1'), null, 'a changed input file is a miss');
    const c2 = policyMatrixCache(row, dataDir, cacheDir)!;
    c2.set('k1', matrix);
    for (const f of readdirSync(cacheDir)) writeFileSync(join(cacheDir, f), '{not json');
    assert.equal(policyMatrixCache(row, dataDir, cacheDir)!.get('k1'), null, 'a corrupt entry is a miss');
    const inline = { ...row, source: { kind: 'inline', data: {} } } as unknown as DatasetRow;
    assert.equal(policyMatrixCache(inline, dataDir, cacheDir), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('policy matrices: no cache under TypeScript unless a folder is given, or with TARIFFSIM_CACHE=off', () => {
  const row = { id: 'toy', model: 'cp', source: { kind: 'project-file', file: 'x.json', format: 'tariffsim-world' } } as unknown as DatasetRow;
  withCacheEnv(undefined, () => assert.equal(policyMatrixCache(row, '/nonexistent'), undefined));
  withCacheEnv('off', () => assert.equal(policyMatrixCache(row, '/nonexistent'), undefined));
});

test('a cached matrix is used without loading the policy layer; a miss computes and stores', async () => {
  const { policyTariffs } = await import('../../src/scenario/policy.ts');
  const { parseScenario } = await import('../../src/scenario/load.ts');
  const scenario = parseScenario('name: t\ndataset: world2024\npolicy:\n  date: 2025-04-15\n', 't.yaml');
  const world = { regions: [{ name: 'A', code: 'USA' }], sectors: [{ name: 'S', tradable: true, theta: 4 }] } as never;
  const stored = new Map<string, TariffMatrix>();
  const matrix = { tariff: Float64Array.from([0.5]), date: '2025-04-15', relativeTo: '2025-01-01', mode: 'change', covered: Uint8Array.from([1]), usAverage: { date: 1, relativeTo: 0 }, notes: [] } as TariffMatrix;
  const cache = { get: (k: string) => stored.get(k) ?? null, set: (k: string, m: TariffMatrix) => void stored.set(k, m) };
  const failing = { cache, context: () => Promise.reject(new Error('the policy layer was loaded')), concordance: () => null, known: [], weightScale2025: () => () => 1 };
  await assert.rejects(policyTariffs(scenario, world, failing), /the policy layer was loaded/, 'a miss loads the policy layer');
  assert.equal(stored.size, 0);
  const key = JSON.stringify({ dataset: 'world2024', regions: ['USA'], sectors: ['S'], policy: scenario.spec.policy });
  stored.set(key, matrix);
  assert.equal(await policyTariffs(scenario, world, failing), matrix, 'a hit returns the stored matrix without loading anything');
});
