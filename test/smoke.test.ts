import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../src/cli/main.ts';

test('tariffsim --help exits 0', async () => {
  const write = process.stdout.write;
  let out = '';
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  try {
    assert.equal(await main(['node', 'tariffsim', '--help']), 0);
  } finally {
    process.stdout.write = write;
  }
  assert.match(out, /Usage: tariffsim/);
});
