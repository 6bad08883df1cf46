// Bad policy data → InputErrors that name the action id (and file, line): unknown country or product list,
// contradictory overlaps inside one program slot, dates outside the data's range, schema errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/errors.ts';
import { compileActions, type Coverage } from '../../src/policy/compile.ts';
import { parseCountries } from '../../src/policy/countries.ts';
import { parseDay } from '../../src/policy/dates.ts';
import { actionFileSchema } from '../../src/policy/schema.ts';
import { parseYaml } from '../../src/policy/yaml-file.ts';
import { loadPolicyUncached } from '../../src/node/policy/load.ts';
import { needsShared } from '../helpers/shared.ts';

const COUNTRIES = parseCountries(
  ['census_code,iso3,name,groups,source', '0003,EU,European Union,,t', '1000,USA,United States,,t', '5700,CHN,China,,t', '1220,CAN,Canada,,t', '4280,DEU,Germany,EU,t', '4279,FRA,France,EU,t'].join('\n'),
  'countries.csv',
);
const COVERAGE: Coverage = { from: parseDay('2025-01-01'), to: parseDay('2026-04-30') };
const LISTS: Record<string, string[]> = { toys: ['9503'], steel: ['72', '7301'] };

function compile(yamlText: string) {
  const file = parseYaml(yamlText, 'test-actions.yaml', actionFileSchema, 'hint');
  return compileActions({
    coverage: COVERAGE,
    countries: COUNTRIES,
    resolveList: (n) => (LISTS[n] ? { codes: LISTS[n] } : undefined),
    sourceIds: new Set(['SRC']),
    files: [file],
  });
}

const action = (fields: string) => `
  - id: ${fields}
    sources: [SRC]`;

function expectInputError(fn: () => unknown, pattern: RegExp, id?: string): InputError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof InputError, `expected an InputError, got ${caught}`);
  assert.match(caught.message, pattern);
  if (id) {
    assert.equal(caught.location.id, id);
    assert.match(caught.message, new RegExp(`id '${id}'`));
  }
  return caught;
}

const base = (rest: string) => `imposer: USA\nactions:${rest}\n`;

test('a valid file compiles; supersession is transitive', () => {
  const actions = compile(
    base(
      action(`a1\n    program: ieepa_reciprocal\n    announced: 2025-04-02\n    effective: 2025-04-05\n    targets: all\n    products: all\n    rate: 10`) +
        action(`a2\n    program: ieepa_reciprocal\n    announced: 2025-04-08\n    effective: 2025-04-09\n    targets: [CHN]\n    products: all\n    rate: 84\n    supersedes: [a1]`) +
        action(`a3\n    program: ieepa_reciprocal\n    announced: 2025-04-09\n    effective: 2025-04-10\n    targets: [CHN]\n    products: all\n    rate: 125\n    supersedes: [a2]`),
    ),
  );
  assert.equal(actions.length, 3);
  assert.ok(actions[2].supersedes.has(0) && actions[2].supersedes.has(1));
});

test('unknown country → InputError naming the action id and line', () => {
  const e = expectInputError(
    () => compile(base(action(`bad-country\n    program: ieepa_fentanyl\n    announced: 2025-02-01\n    effective: 2025-02-04\n    targets: [XYZ]\n    products: all\n    rate: 10`))),
    /unknown country or group 'XYZ'/,
    'bad-country',
  );
  assert.equal(e.location.file, 'test-actions.yaml');
  assert.equal(e.location.line, 7);
});

test('unknown country in per-partner rates → InputError naming the action id', () => {
  expectInputError(
    () => compile(base(action(`bad-rates\n    program: ieepa_reciprocal\n    announced: 2025-04-02\n    effective: 2025-04-09\n    rates: { CHN: 34, ATLANTIS: 20 }\n    products: all`))),
    /unknown country or group 'ATLANTIS'/,
    'bad-rates',
  );
});

test('unknown product list → InputError naming the action id', () => {
  expectInputError(
    () => compile(base(action(`bad-list\n    program: s232\n    announced: 2025-02-10\n    effective: 2025-03-12\n    targets: all\n    products: { list: no_such_list }\n    rate: 25`))),
    /unknown product list 'no_such_list'/,
    'bad-list',
  );
});

test('two actions of one program slot overlapping with different rates → InputError naming both ids', () => {
  const e = expectInputError(
    () =>
      compile(
        base(
          action(`fent-a\n    program: ieepa_fentanyl\n    announced: 2025-02-01\n    effective: 2025-02-04\n    targets: [CHN]\n    products: all\n    rate: 10`) +
            action(`fent-b\n    program: ieepa_fentanyl\n    announced: 2025-03-03\n    effective: 2025-03-04\n    targets: [CHN]\n    products: { list: toys }\n    rate: 20`),
        ),
      ),
    /contradicts action 'fent-b'/,
    'fent-a',
  );
  assert.match(e.message, /supersedes: \[fent-b\]|supersedes/);
  // Separate slots of one program combine (they are not a contradiction) …
  compile(
    base(
      action(`r-all\n    program: retaliation\n    slot: all_goods\n    announced: 2025-04-04\n    effective: 2025-04-10\n    targets: [CHN]\n    products: all\n    rate: 34`) +
        action(`r-list\n    program: retaliation\n    slot: mar_list\n    announced: 2025-03-04\n    effective: 2025-03-10\n    targets: [CHN]\n    products: { list: toys }\n    rate: 10`),
    ),
  );
  // … and non-overlapping dates or partners are fine.
  compile(
    base(
      action(`x1\n    program: ieepa_fentanyl\n    announced: 2025-02-01\n    effective: 2025-02-04\n    end: 2025-03-04\n    targets: [CHN]\n    products: all\n    rate: 10`) +
        action(`x2\n    program: ieepa_fentanyl\n    announced: 2025-03-03\n    effective: 2025-03-04\n    targets: [CHN]\n    products: all\n    rate: 20`) +
        action(`x3\n    program: ieepa_fentanyl\n    announced: 2025-03-03\n    effective: 2025-03-04\n    targets: [CAN]\n    products: all\n    rate: 25`),
    ),
  );
});

test('a date outside the data range → InputError naming the action id', () => {
  expectInputError(
    () => compile(base(action(`too-late\n    program: s122\n    announced: 2026-02-20\n    effective: 2027-01-01\n    targets: all\n    products: all\n    rate: 10`))),
    /after the end of the data's range \(2026-04-30\)/,
    'too-late',
  );
  expectInputError(
    () => compile(base(action(`too-early\n    program: s301\n    announced: 2018-06-15\n    effective: 2018-07-06\n    targets: [CHN]\n    products: all\n    rate: 25`))),
    /before the start of the data's range/,
    'too-early',
  );
  expectInputError(
    () => compile(base(action(`bad-date\n    program: s301\n    announced: 2025-01-01\n    effective: 2025-02-30\n    targets: [CHN]\n    products: all\n    rate: 25`))),
    /not a valid YYYY-MM-DD date/,
    'bad-date',
  );
  expectInputError(
    () => compile(base(action(`backwards\n    program: s301\n    announced: 2025-01-01\n    effective: 2025-03-01\n    end: 2025-02-01\n    targets: [CHN]\n    products: all\n    rate: 25`))),
    /not after it takes effect/,
    'backwards',
  );
});

test('schema errors name the field, the action id and the YAML line', () => {
  const e = expectInputError(
    () => compile(base(action(`pct-string\n    program: s232\n    announced: 2025-02-10\n    effective: 2025-03-12\n    targets: all\n    products: all\n    rate: '25%'`))),
    /expected number/i,
    'pct-string',
  );
  assert.equal(e.location.field, 'actions.0.rate');
  assert.equal(e.location.line, 9);
  expectInputError(
    () => compile(base(action(`typo\n    program: s232\n    announced: 2025-02-10\n    effective: 2025-03-12\n    targets: all\n    products: all\n    rat: 25`))),
    /unknown field 'rat'/,
    'typo',
  );
  expectInputError(() => compile(base(action(`no-rate\n    program: s232\n    announced: 2025-02-10\n    effective: 2025-03-12\n    targets: all\n    products: all`))), /no rate/, 'no-rate');
});

test('supersedes must name a known action of the same slot; unknown source ids are errors', () => {
  expectInputError(
    () => compile(base(action(`orphan\n    program: s232\n    announced: 2025-02-10\n    effective: 2025-03-12\n    targets: all\n    products: all\n    rate: 25\n    supersedes: [ghost]`))),
    /supersedes unknown action 'ghost'/,
    'orphan',
  );
  expectInputError(
    () =>
      compile(
        base(
          action(`s-steel\n    program: s232\n    slot: steel\n    announced: 2025-02-10\n    effective: 2025-03-12\n    targets: all\n    products: all\n    rate: 25`) +
            action(`s-alu\n    program: s232\n    slot: aluminum\n    announced: 2025-02-10\n    effective: 2025-03-12\n    targets: all\n    products: all\n    rate: 25\n    supersedes: [s-steel]`),
        ),
      ),
    /not USA\/s232\/aluminum/,
    's-alu',
  );
  expectInputError(
    () => compile(`imposer: USA\nactions:\n  - id: no-src\n    program: s232\n    announced: 2025-02-10\n    effective: 2025-03-12\n    targets: all\n    products: all\n    rate: 25\n    sources: [NOPE]\n`),
    /unknown source id 'NOPE'/,
    'no-src',
  );
});

test('targets covering part of the EU bloc → InputError naming the action id when the bloc is evaluated', async () => {
  const { targetsPartner } = await import('../../src/policy/compile.ts');
  const [a] = compile(base(action(`only-germany\n    program: ieepa_reciprocal\n    announced: 2025-04-02\n    effective: 2025-04-09\n    targets: [DEU]\n    products: all\n    rate: 20`)));
  expectInputError(() => targetsPartner(a, COUNTRIES.find('EU')!), /covers 1 of the 2 members/, 'only-germany');
  const [b] = compile(base(action(`whole-eu\n    program: ieepa_reciprocal\n    announced: 2025-04-02\n    effective: 2025-04-09\n    targets: [EU]\n    products: all\n    rate: 20`)));
  assert.equal(targetsPartner(b, COUNTRIES.find('EU')!), true);
});

test('the loader names the file of a bad extra action file', { skip: needsShared('us-tariffs') }, () => {
  const text = `imposer: USA\nactions:\n  - id: extra-bad\n    program: ieepa_fentanyl\n    announced: 2025-02-01\n    effective: 2025-02-04\n    targets: [CHN]\n    products: { list: not_registered }\n    rate: 10\n    sources: [BL-TIM]\n`;
  const e = expectInputError(() => loadPolicyUncached({ extraActionFiles: [{ file: 'extra.yaml', text }] }), /unknown product list 'not_registered'/, 'extra-bad');
  assert.equal(e.location.file, 'extra.yaml');
  // An extra action contradicting a shipped one is caught too.
  const clash = `imposer: USA\nactions:\n  - id: extra-clash\n    program: ieepa_fentanyl\n    slot: chn\n    announced: 2025-03-01\n    effective: 2025-03-04\n    targets: [CHN]\n    products: all\n    rate: 30\n    sources: [BL-TIM]\n`;
  expectInputError(() => loadPolicyUncached({ extraActionFiles: [{ file: 'clash.yaml', text: clash }] }), /contradicts action 'extra-clash'|contradicts action 'us-fent-chn-/);
});
