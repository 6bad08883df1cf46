// The one HS → sector concordance format (src/data/hs-concordance.ts), read by the policy layer (product level)
// and the baseline builder (chapter level).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readHs2Concordance, readTargetSectors } from '../../src/node/data/builder/concordance.ts';
import { parseHsConcordance, SPREAD } from '../../src/data/hs-concordance.ts';
import { PROJECT_ROOT } from '../../src/node/paths.ts';
import { InputError } from '../../src/errors.ts';
import { parseConcordance } from '../../src/policy/concordance.ts';

const throwsInput = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof InputError && re.test(e.message));

test('keys, gtap keys, weights and splits', () => {
  const c = parseHsConcordance('key,sector,weight\n27,Mining,0.74\n27,Petroleum,0.26\n"84.71",Office,1\ngtap:OME,ome,1\n98,*,1\n', 'c.csv');
  assert.deepEqual(
    c.rows.map((r) => [r.key, r.gtap, r.sector, r.weight]),
    [['27', false, 'Mining', 0.74], ['27', false, 'Petroleum', 0.26], ['8471', false, 'Office', 1], ['ome', true, 'ome', 1], ['98', false, SPREAD, 1]],
  );
  const p = parseConcordance('key,sector\n84,Machinery\n8471,Office\n98,*\n', 'p.csv');
  assert.deepEqual([p.sectorOf('8471300000'), p.sectorOf('8401100000'), p.sectorOf('9801000000'), p.sectorOf('0101000000')], [1, 0, -1, -1]);
});

test('bad concordances: errors name the file, row and field', () => {
  throwsInput(() => parseHsConcordance('key,sector\n8x,Bad\n', 'a.csv'), /a\.csv, row 1, field 'key': '8x' is neither an HS prefix/);
  throwsInput(() => parseHsConcordance('key,sector\n84,\n', 'b.csv'), /b\.csv, row 1, field 'sector': empty sector/);
  throwsInput(() => parseHsConcordance('key,sector\n84,A\n84,B\n', 'c.csv'), /c\.csv, row 2, field 'key': key '84' appears twice \(rows 1 and 2\)[\s\S]*weight column/);
  throwsInput(() => parseHsConcordance('key,sector,weight\n84,A,0.5\n84,B,0.4\n', 'd.csv'), /d\.csv, row 1, field 'weight': the weights of key '84' sum to 0\.9/);
  throwsInput(() => parseHsConcordance('key,sector,weight\n84,A,1.5\n', 'e.csv'), /e\.csv, row 1, field 'weight': weight must be in \(0, 1\], got 1\.5/);
  throwsInput(() => parseHsConcordance('key,sector,weight\n84,A,x\n', 'f.csv'), /f\.csv, row 1, field 'weight': 'x' is not a number/);
  throwsInput(() => parseHsConcordance('hs2,sector\n84,A\n', 'g.csv'), /g\.csv, field 'key': missing column 'key'/);
  throwsInput(() => parseConcordance('key,sector,weight\n27,Mining,0.74\n27,Petroleum,0.26\n', 'h.csv'), /h\.csv, row 1, field 'weight': key '27' is split over sectors by weight/);
});

test("world2024: the chapter-level concordance (builder) and the product-level one (policy) map every chapter to the same sectors", () => {
  const chapterFile = join(PROJECT_ROOT, 'data', 'concordances', 'hs2-world2024-sectors.csv');
  const productFile = join(PROJECT_ROOT, 'data', 'policy', 'concordance', 'hs-world2024.csv');
  const sectors = readTargetSectors(join(PROJECT_ROOT, 'data', 'concordances', 'world2024-sectors.csv')).sectors;
  const byChapter = readHs2Concordance(chapterFile, sectors);
  const products = parseHsConcordance(readFileSync(productFile, 'utf8'), productFile).rows;
  const productSectors = new Map<string, Set<string>>();
  for (const r of products) {
    const set = productSectors.get(r.key.slice(0, 2)) ?? new Set<string>();
    set.add(r.sector);
    productSectors.set(r.key.slice(0, 2), set);
  }
  for (const [hs2, rows] of byChapter) {
    const chapter = new Set(rows.map((r) => (r.sector < 0 ? SPREAD : sectors[r.sector].name)));
    if (chapter.has(SPREAD)) assert.ok(!productSectors.has(hs2), `chapter ${hs2} is spread in ${chapterFile} but mapped in ${productFile}`);
    else assert.deepEqual([...(productSectors.get(hs2) ?? [])].sort(), [...chapter].sort(), `chapter ${hs2}`);
  }
  assert.deepEqual([...productSectors.keys()].filter((k) => !byChapter.has(k)), [], 'chapters only in the product-level file');
});
