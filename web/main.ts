// The tariffsim web app: views (scenario, timeline, deal, lookup, about), the whole state in the URL hash, the
// solver in a Web Worker. Report fields are read only through src/web/adapter.ts.
import * as Plot from '@observablehq/plot';
import { geoEqualEarth, geoPath, type GeoSphere } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import worldAtlas from 'world-atlas/countries-110m.json';
import './style.css';
import type { AnnouncedAssets, PolicyAssets, PresetAsset, ActionAsset, TimeAsset } from '../src/web/assets-format.ts';
import { announcedDay, matrixAsset } from '../src/web/assets-format.ts';
import { parseState, serializeState, DEFAULT_STATE, TARIFF_MAX, TARIFF_MIN, type AppState, type View } from '../src/web/state.ts';
import { scenarioObject } from '../src/web/scenario.ts';
import { lookupRows, viewModel, type Table, type ViewModel } from '../src/web/adapter.ts';
import { tableCsv } from '../src/web/csv.ts';
import { regionOfCountry } from '../src/web/geo-regions.ts';
import type { EngineRun } from '../src/web/engine.ts';
import { DEAL_REFERENCE } from '../src/web/engine.ts';
import { runOnServer } from '../src/web/api.ts';

declare global {
  interface Window {
    /** Read by the browser tests and the bench: the last result and timings. */
    __tariffsim: { ready: boolean; runs: number; lastRun: EngineRun | null; lastMs: number[]; changeAt: number | null; changeToRendered: number[]; interactiveAt: number | null; state: () => AppState; errors: string[] };
  }
}

const $ = <T extends HTMLElement = HTMLElement>(sel: string, root: ParentNode = document): T => root.querySelector(sel) as T;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of kids) e.append(c);
  return e;
};
const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');

window.__tariffsim = { ready: false, runs: 0, lastRun: null, lastMs: [], changeAt: null, changeToRendered: [], interactiveAt: null, state: () => state, errors: [] };

let policy: PolicyAssets;
let presets: PresetAsset[];
let regions: { code: string; name: string }[] = [];
let state: AppState = structuredClone(DEFAULT_STATE);
let messages: string[] = [];
let lastRun: EngineRun | null = null;
let runError: string | null = null;
const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
let nextId = 1;
let pendingRun = 0;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; progress?: (d: number, t: number) => void }>();

worker.onmessage = (ev: MessageEvent) => {
  const m = ev.data;
  if (m.type === 'ready') pending.get(0)?.resolve(null);
  const p = pending.get(m.type === 'ready' ? 0 : m.id);
  if (!p) return;
  if (m.type === 'progress') return p.progress?.(m.done, m.total);
  pending.delete(m.id ?? 0);
  if (m.type === 'error') p.reject(new Error(m.message));
  else if (m.type === 'result') p.resolve(m.run);
  else if (m.type === 'grid') p.resolve(m.cells);
};
worker.onerror = (e) => showMessages([`the model's worker failed: ${e.message}`]);

function call<T>(msg: Record<string, unknown>, progress?: (d: number, t: number) => void): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject, progress });
    worker.postMessage({ ...msg, id });
  });
}

function showMessages(list: string[]): void {
  messages = list;
  window.__tariffsim.errors = list;
  const box = $('#messages');
  box.replaceChildren();
  if (!list.length) return;
  box.append(el('strong', {}, 'Some of this link or input could not be used:'), el('ul', {}, ...list.map((m) => el('li', {}, m))));
}

function setState(patch: Partial<AppState>, rerun = true): void {
  state = { ...state, ...patch };
  history.replaceState(null, '', serializeState(state));
  if (rerun) void solve();
}

// ───────────────────────── loading ─────────────────────────
async function fetchText(path: string): Promise<string> {
  const r = await fetch(path);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.text();
}

async function boot(): Promise<void> {
  try {
    const [worldText, policyText, presetsText] = await Promise.all([fetchText('./world2024.json'), fetchText('./policy.json'), fetchText('./presets.json')]);
    policy = JSON.parse(policyText) as PolicyAssets;
    presets = JSON.parse(presetsText) as PresetAsset[];
    regions = (JSON.parse(worldText) as { regions: { code: string; name: string }[] }).regions;
    const ready = new Promise((resolve, reject) => pending.set(0, { resolve, reject }));
    worker.postMessage({ type: 'init', world: worldText, policy, presets });
    await ready;
  } catch (err) {
    $('#app').replaceChildren(el('p', { class: 'error' }, `The app could not load its data: ${(err as Error).message}. Rebuild it with \`npm run web:build\`.`));
    return;
  }
  window.addEventListener('hashchange', () => readHash());
  readHash();
}

function readHash(): void {
  const { state: s, errors } = parseState(location.hash, { presets: presets.map((p) => p.id), regions: regions.map((r) => r.code), coverage: policy.coverage });
  state = s;
  showMessages(errors);
  render();
  void solve();
}

// ───────────────────────── solving ─────────────────────────
let announcedLoad: Promise<void> | null = null;

/** The "announced vs in force" matrices (announced.json), fetched on the toggle's first use, into the page and the worker. */
function loadAnnounced(): Promise<void> {
  announcedLoad ??= fetchText('./announced.json')
    .then((t) => JSON.parse(t) as AnnouncedAssets)
    .then(async (a) => {
      await call<null>({ type: 'announced', announced: a });
      Object.assign(policy, { announcedMatrices: a.announcedMatrices, announcedDays: a.announcedDays });
      if (state.view === 'timeline') render();
    })
    .catch((err) => {
      announcedLoad = null;
      throw err;
    });
  return announcedLoad;
}

function currentSpec(): Record<string, unknown> {
  const preset = presets.find((p) => p.id === state.preset) ?? presets[0];
  // The "announced vs in force" toggle acts on the timeline's day.
  // A link with ann=1 but no date uses the timeline's day (the preset's).
  const ann = state.view === 'timeline' && state.announced ? announcedDay(policy, timelineDate()) : null;
  return scenarioObject(preset.spec, ann ? { ...state, date: timelineDate() } : state, regions.map((r) => r.code), ann ?? undefined);
}

function markInteractive(): void {
  if (window.__tariffsim.interactiveAt === null) {
    window.__tariffsim.interactiveAt = performance.now();
    window.__tariffsim.ready = true;
    document.body.dataset.ready = 'true';
  }
}

async function solve(): Promise<void> {
  if (state.view === 'lookup' || state.view === 'about' || state.view === 'time') return markInteractive();
  const id = ++pendingRun;
  const t0 = performance.now();
  setStatus('solving…');
  try {
    if (state.view === 'timeline' && state.announced && !policy.announcedDays) {
      setStatus('loading the announced tariffs…');
      await loadAnnounced();
      if (id !== pendingRun) return;
    }
    // The first run shows the scenario before the reference deal of the standoff panel is solved.
    const first = window.__tariffsim.runs === 0;
    const run = await call<EngineRun>({ type: 'run', spec: currentSpec(), standoff: !first });
    if (id !== pendingRun) return;
    if (first) void call<EngineRun['standoff']>({ type: 'standoff' }).then((st) => {
      if (id !== pendingRun || !lastRun) return;
      lastRun = { ...lastRun, standoff: st };
      window.__tariffsim.lastRun = lastRun;
      renderResults();
      document.body.dataset.standoff = 'true';
    });
    const ms = performance.now() - t0;
    lastRun = run;
    runError = null;
    window.__tariffsim.lastRun = run;
    window.__tariffsim.runs++;
    window.__tariffsim.lastMs.push(ms);
    setStatus(`solved in ${ms.toFixed(0)} ms (in the page's worker)`);
  } catch (err) {
    if (id !== pendingRun) return;
    runError = (err as Error).message;
    setStatus('');
  }
  renderResults();
  if (window.__tariffsim.changeAt !== null) {
    window.__tariffsim.changeToRendered.push(performance.now() - window.__tariffsim.changeAt);
    window.__tariffsim.changeAt = null;
  }
  markInteractive();
  document.body.dataset.runs = String(window.__tariffsim.runs);
}

function setStatus(s: string): void {
  const st = document.getElementById('status');
  if (st) st.textContent = s;
}

// ───────────────────────── layout ─────────────────────────
const VIEW_LABELS: Record<View, string> = { scenario: 'Scenario', timeline: 'Timeline', time: 'Time', deal: 'Deal zone', lookup: 'Tariff lookup', about: 'About' };

function renderNav(): void {
  const nav = $('#nav');
  nav.replaceChildren(
    ...(Object.keys(VIEW_LABELS) as View[]).map((v) => {
      const a = el('a', { href: serializeState({ ...state, view: v }) }, VIEW_LABELS[v]);
      if (v === state.view) a.setAttribute('aria-current', 'page');
      return a;
    }),
  );
}

function render(): void {
  renderNav();
  const app = $('#app');
  app.replaceChildren();
  if (state.view === 'scenario') app.append(scenarioLayout());
  else if (state.view === 'timeline') app.append(timelineLayout());
  else if (state.view === 'time') app.append(timeLayout());
  else if (state.view === 'deal') app.append(dealLayout());
  else if (state.view === 'lookup') app.append(lookupLayout());
  else app.append(aboutLayout());
  renderResults();
}

// ───────────────────────── controls ─────────────────────────
let uid = 0;
function selectControl(label: string, hint: string, options: [string, string][], value: string, on: (v: string) => void, name: string): HTMLElement {
  const id = `c${++uid}`;
  const s = el('select', { id, name });
  for (const [v, t] of options) {
    const o = el('option', { value: v }, t);
    if (v === value) o.selected = true;
    s.append(o);
  }
  s.addEventListener('change', () => on(s.value));
  return el('div', { class: 'control' }, el('label', { for: id }, label), s, el('span', { class: 'hint', id: `${id}h` }, hint));
}

function leverControl(name: string, label: string, value: number | null, inForce: number | undefined, on: (v: number | null) => void): HTMLElement {
  const id = `c${++uid}`;
  const shown = value ?? Math.round(inForce ?? 0);
  const range = el('input', { type: 'range', id, name, min: String(TARIFF_MIN), max: String(TARIFF_MAX), step: '1', value: String(shown), 'aria-describedby': `${id}h` });
  const num = el('input', { type: 'number', id: `${id}n`, name: `${name}-number`, min: String(TARIFF_MIN), max: String(TARIFF_MAX), step: '0.5', value: String(shown), 'aria-label': `${label}, percent` });
  const reset = el('button', { type: 'button', 'aria-label': `${label}: use the rates in force` }, 'in force');
  const hint = el('span', { class: 'hint', id: `${id}h` }, value === null ? `rates in force: ${fmt(inForce ?? NaN, 1)}% (trade-weighted)` : `override: ${value}% ad valorem on all goods`);
  const commit = (raw: string) => {
    window.__tariffsim.changeAt = performance.now();
    const x = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(x) || x < TARIFF_MIN || x > TARIFF_MAX) {
      showMessages([...messages.filter((m) => !m.startsWith(label)), `${label}: '${raw}' is not a tariff between ${TARIFF_MIN}% and ${TARIFF_MAX}%`]);
      return;
    }
    showMessages(messages.filter((m) => !m.startsWith(label)));
    range.value = String(x);
    num.value = String(x);
    hint.textContent = `override: ${x}% ad valorem on all goods`;
    on(x);
  };
  range.addEventListener('input', () => commit(range.value));
  num.addEventListener('change', () => commit(num.value));
  reset.addEventListener('click', () => on(null));
  return el('div', { class: 'control', 'data-lever': name }, el('label', { for: id }, `${label} (%)`), el('div', { class: 'row' }, range, num, reset), hint);
}

/** Levers left at the rates in force show the rates of the last run (they are unknown before the first one). */
function syncLevers(): void {
  if (!lastRun) return;
  const f = lastRun.inForce;
  const levers: [string, number | null, number | undefined][] = [['usChn', state.usOnChina, f['USA<CHN']], ['chnUs', state.chinaOnUs, f['CHN<USA']], ['usOth', state.usOnOthers, f['USA<others']], ['deal', state.dealRate, f[`USA<${state.dealPartner}`]]];
  for (const [name, value, inForce] of levers) {
    const box = document.querySelector(`[data-lever="${name}"]`);
    if (!box || value !== null || inForce === undefined) continue;
    for (const i of box.querySelectorAll('input')) i.value = String(Math.round(inForce));
    box.querySelector('.hint')!.textContent = `rates in force: ${fmt(inForce, 1)}% (trade-weighted)`;
  }
}

function scenarioControls(): HTMLElement {
  const f = lastRun?.inForce ?? {};
  const others = regions.filter((r) => r.code !== 'USA' && r.code !== 'CHN');
  const box = el('section', { class: 'controls', 'aria-label': 'Scenario controls' });
  box.append(
    selectControl('Preset (shipped news scenario)', 'tariffs in force on the preset’s day, from the policy layer', presets.map((p) => [p.id, String(p.spec.name)]), state.preset, (v) => { setState({ preset: v, date: null, usOnChina: null, chinaOnUs: null, usOnOthers: null, dealRate: null }); render(); }, 'preset'),
    leverControl('usChn', 'US tariff on China', state.usOnChina, f['USA<CHN'], (v) => { setState({ usOnChina: v }); if (v === null) render(); }),
    leverControl('chnUs', 'China’s tariff on the US', state.chinaOnUs, f['CHN<USA'], (v) => { setState({ chinaOnUs: v }); if (v === null) render(); }),
    leverControl('usOth', 'US baseline rate on others', state.usOnOthers, f['USA<others'], (v) => { setState({ usOnOthers: v }); if (v === null) render(); }),
    selectControl('Deal partner', 'the partner whose US rate the deal lever sets', others.map((r) => [r.code, r.name]), state.dealPartner, (v) => { setState({ dealPartner: v }); render(); }, 'partner'),
    leverControl('deal', `Deal rate: US tariff on ${state.dealPartner}`, state.dealRate, f[`USA<${state.dealPartner}`], (v) => { setState({ dealRate: v }); if (v === null) render(); }),
    selectControl('Closure', 'what adjusts to keep the world consistent', [['', 'as in the preset'], ['fixed-deficits', 'fixed deficits'], ['zero-deficits', 'zero deficits (CP2015)']], state.closure ?? '', (v) => setState({ closure: (v || null) as AppState['closure'] }), 'closure'),
    selectControl('Balances of', 'the region whose trade balance by partner is shown', regions.map((r) => [r.code, r.name]), state.focus, (v) => { setState({ focus: v }, false); renderResults(); }, 'focus'),
    el('div', { class: 'control' }, el('span', { class: 'hint' }, 'Lever rates are uniform ad valorem tariffs on all goods and replace the rates in force for that pair; “in force” restores them.')),
  );
  return box;
}

// ───────────────────────── scenario view ─────────────────────────
function scenarioLayout(): HTMLElement {
  return el(
    'div',
    { class: 'layout' },
    el('div', {}, scenarioControls()),
    el('section', { 'aria-label': 'Results' }, el('p', { id: 'status', class: 'status', 'aria-live': 'polite' }), el('div', { id: 'results' })),
  );
}

function figure(id: string, title: string, unit: string, body: Node, table: Table | null): HTMLElement {
  const tools = el('div', { class: 'figtools' });
  if (table) {
    const b = el('button', { type: 'button', 'data-csv': table.id }, `Download CSV`);
    b.setAttribute('aria-label', `Download ${title} as CSV`);
    b.addEventListener('click', () => download(`${table.id}.csv`, tableCsv(table), 'text/csv'));
    tools.append(b);
  }
  return el('figure', { id }, el('figcaption', {}, title, el('span', { class: 'unit' }, unit)), body, tools);
}

function download(name: string, text: string, type: string): void {
  const a = el('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

function htmlTable(t: Table, digits = 2): HTMLElement {
  const head = el('tr', {}, ...t.columns.map((c) => el('th', { scope: 'col', class: typeof t.rows[0]?.[c.key] === 'number' ? '' : 'l' }, c.label, ...(c.unit ? [el('span', { class: 'unit' }, c.unit)] : []))));
  const rows = t.rows.map((r) =>
    el('tr', {}, ...t.columns.map((c) => {
      const v = r[c.key];
      if (typeof v === 'number') return el('td', { 'data-key': c.key, 'data-value': String(v) }, fmt(v, digits));
      return el('td', { class: 'l', 'data-key': c.key }, String(v));
    })),
  );
  return el('table', { 'data-table': t.id }, el('caption', { class: 'visually-hidden' }, t.title), el('thead', {}, head), el('tbody', {}, ...rows));
}

const DIVERGING = 'rdbu'; // ColorBrewer RdBu: distinguishable with the common colour-vision deficiencies.

/** The map's SVG, projected once per page; a re-solve only recolours it. */
interface MapCache {
  svg: SVGSVGElement;
  paths: { path: SVGPathElement; region: string; title: SVGTitleElement }[];
}
let mapCache: MapCache | null = null;

function worldMap(): MapCache {
  if (mapCache) return mapCache;
  const topo = worldAtlas as unknown as Topology<{ countries: GeometryCollection }>;
  const fc = feature(topo, topo.objects.countries) as unknown as GeoJSON.FeatureCollection;
  const width = 900;
  const height = 440;
  const proj = geoEqualEarth().fitSize([width, height], { type: 'Sphere' } as GeoSphere);
  const path = geoPath(proj);
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  const sphere = document.createElementNS(NS, 'path');
  sphere.setAttribute('d', path({ type: 'Sphere' } as GeoSphere) ?? '');
  sphere.setAttribute('fill', '#f3f3f3');
  svg.append(sphere);
  const paths: MapCache['paths'] = [];
  for (const f of fc.features) {
    const region = regionOfCountry(f.id as string | undefined);
    const p = document.createElementNS(NS, 'path');
    p.setAttribute('d', path(f) ?? '');
    p.setAttribute('class', 'region');
    p.setAttribute('data-region', region);
    const title = document.createElementNS(NS, 'title');
    p.append(title);
    svg.append(p);
    paths.push({ path: p, region, title });
  }
  mapCache = { svg, paths };
  return mapCache;
}

function mapFigure(vm: ViewModel): HTMLElement {
  const values = [...vm.realIncome.values()];
  const m = Math.max(0.05, ...values.map(Math.abs));
  const color = Plot.scale({ color: { type: 'diverging', scheme: DIVERGING, domain: [-m, m], pivot: 0 } });
  const names = new Map(regions.map((r) => [r.code, r.name]));
  const map = worldMap();
  map.svg.setAttribute('aria-label', `World map of the change in real income by region, percent: ${[...vm.realIncome].map(([c, v]) => `${names.get(c)} ${fmt(v)}%`).join(', ')}`);
  for (const { path: p, region, title } of map.paths) {
    const v = vm.realIncome.get(region) ?? 0;
    p.setAttribute('fill', String(color.apply(v)));
    title.textContent = `${names.get(region) ?? region}: real income ${fmt(v)}%`;
  }
  const svg = map.svg;
  const legend = Plot.legend({ color: { type: 'diverging', scheme: DIVERGING, domain: [-m, m], pivot: 0 }, label: 'Real income change (%) — red: loss, blue: gain', tickFormat: (x: number) => x.toFixed(2), marginLeft: 16, width: 260 }) as HTMLElement;
  const body = el('div', {}, el('div', { class: 'map' }, svg), legend);
  const t: Table = { id: 'map', title: 'Real income change by region', columns: [{ key: 'code', label: 'Region code', unit: '' }, { key: 'region', label: 'Region', unit: '' }, { key: 'realIncome', label: 'Real income', unit: '% change (exact Î/P̂)' }], rows: vm.regions.rows.map((r) => ({ code: r.code, region: r.region, realIncome: r.realIncome })) };
  return figure('fig-map', 'Real income change by region', 'percent change from the 2024 baseline (exact real income Î/P̂); the EU as its 27 members; every country not modelled on its own takes the rest of the world’s value', body, t);
}

function barChart(t: Table, key: string, label: string, opts: { y?: string; before?: string; after?: string } = {}): Node {
  const y = opts.y ?? 'region';
  const h = Math.max(120, t.rows.length * 20 + 40);
  if (opts.before && opts.after) {
    // Bars: after; black ticks: before.
    return Plot.plot({ marginLeft: 190, height: h, width: 560, x: { label, grid: true }, y: { label: null, domain: t.rows.map((r) => String(r[y])) }, marks: [Plot.barX(t.rows, { x: opts.after, y, fill: '#5e3c99', tip: true }), Plot.tickX(t.rows, { x: opts.before, y, stroke: '#000', strokeWidth: 2 }), Plot.ruleX([0])] });
  }
  return Plot.plot({ marginLeft: 190, height: h, width: 560, x: { label, grid: true }, y: { label: null, domain: t.rows.map((r) => String(r[y])) }, marks: [Plot.barX(t.rows, { x: key, y, fill: (d: Record<string, number>) => (d[key] < 0 ? '#b2182b' : '#2166ac'), tip: true }), Plot.ruleX([0])] });
}

function pick(t: Table, id: string, title: string, keys: string[]): Table {
  return { id, title, columns: t.columns.filter((c) => keys.includes(c.key)), rows: t.rows.map((r) => Object.fromEntries(keys.map((k) => [k, r[k]]))) };
}

function renderResults(): void {
  syncLevers();
  const box = document.getElementById('results');
  if (!box) return;
  if (state.view === 'timeline') return renderTimelineResults(box);
  if (state.view === 'deal') return;
  box.replaceChildren();
  if (runError) {
    box.append(el('p', { class: 'error', role: 'alert' }, `This scenario could not be solved: ${runError}`));
    return;
  }
  if (!lastRun) return;
  const vm = viewModel(lastRun, state.focus);
  const us = vm.regions.rows.find((r) => r.code === 'USA');
  const cn = vm.regions.rows.find((r) => r.code === 'CHN');
  const card = (label: string, v: number, unit: string, key: string) => el('div', { class: 'card', 'data-card': key }, el('div', {}, label), el('div', { class: 'v', 'data-value': String(v) }, `${v >= 0 ? '+' : ''}${fmt(v)}%`), el('div', { class: 'u' }, unit));
  box.append(
    el('h2', {}, vm.title),
    el('p', {}, vm.description),
    el('p', { class: 'status' }, `${vm.subtitle}. ${vm.closureAssumes} ${vm.policyLine ?? ''}. ${vm.convergence}.`),
    el('div', { class: 'cards' },
      card('US real income', Number(us?.realIncome), 'percent change, exact Î/P̂', 'us-real-income'),
      card('China real income', Number(cn?.realIncome), 'percent change, exact Î/P̂', 'cn-real-income'),
      card('US tariff on China', lastRun.inForce['USA<CHN'], 'trade-weighted, % ad valorem, goods', 'us-on-china'),
      card('China’s tariff on the US', lastRun.inForce['CHN<USA'], 'trade-weighted, % ad valorem, goods', 'china-on-us'),
    ),
    mapFigure(vm),
  );
  if (vm.anxious) {
    box.append(el('section', { class: 'anxious', 'aria-label': 'Who is more anxious' }, el('h3', {}, vm.anxious.table.title), el('p', { 'data-more-anxious': vm.anxious.moreAnxious ?? '' }, vm.anxious.sentence), figure('fig-anxious', 'Standoff measures of each side', `loss = (1 + deal real income)/(1 + this scenario's real income) − 1 (exact real income); money = loss × GDP per year; the deal is the ${DEAL_REFERENCE} preset, same closure`, htmlTable(vm.anxious.table), vm.anxious.table)));
  }
  const cur = vm.currency;
  box.append(
    el('div', { class: 'grid2' },
      figure('fig-bilateral', vm.bilateral.title, `${cur} bn per year, net of tariffs; bars: after, black ticks: before`, el('div', {}, barChart(vm.bilateral, 'after', `${cur} bn / year`, { y: 'flow', before: 'before', after: 'after' }), htmlTable(vm.bilateral)), vm.bilateral),
      figure('fig-prices', 'Consumer prices', "percent change of the consumer price level in the region's own wage (P̂/ŵ − 1)", barChart(vm.regions, 'consumerPricesOwnWage', '% change, own-wage units'), pick(vm.regions, 'prices', 'Consumer prices', ['code', 'region', 'consumerPricesOwnWage', 'consumerPrices'])),
      figure('fig-revenue', 'Tariff revenue', `${cur} bn per year; bars: after, black ticks: before`, barChart(vm.regions, 'tariffRevenueAfter', `${cur} bn / year`, { before: 'tariffRevenueBefore', after: 'tariffRevenueAfter' }), pick(vm.regions, 'revenue', 'Tariff revenue', ['code', 'region', 'tariffRevenueBefore', 'tariffRevenueAfter'])),
      figure('fig-partners', vm.partners.title, `${cur} bn per year, exports − imports of goods, net of tariffs; bars: after, black ticks: before`, barChart(vm.partners, 'after', `${cur} bn / year`, { y: 'partner', before: 'before', after: 'after' }), vm.partners),
      figure('fig-manufacturing', 'Manufacturing output', 'percent change of manufacturing gross output', barChart(vm.regions, 'manufacturing', '% change'), pick(vm.regions, 'manufacturing', 'Manufacturing output', ['code', 'region', 'manufacturing'])),
    ),
    figure('fig-regions', vm.regions.title, 'every figure of the run by region, with its unit', htmlTable(vm.regions), vm.regions),
  );
  const json = el('button', { type: 'button', 'data-json': 'report' }, 'Download the JSON report');
  json.addEventListener('click', () => download('report.json', JSON.stringify(lastRun!.report, null, 2), 'application/json'));
  const share = el('button', { type: 'button' }, 'Copy link to this view');
  share.addEventListener('click', () => void navigator.clipboard?.writeText(location.href));
  box.append(el('div', { class: 'figtools' }, json, share));
}

// ───────────────────────── timeline view ─────────────────────────
function days(): string[] {
  const out: string[] = [];
  const d = new Date(`${policy.coverage.from}T00:00:00Z`);
  const end = policy.coverage.to;
  while (d.toISOString().slice(0, 10) <= end) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

const PROGRAM_LABELS: Record<string, string> = { mfn: 'MFN', s232: 'Section 232', s301: 'Section 301', ieepa_fentanyl: 'IEEPA fentanyl', ieepa_reciprocal: 'IEEPA reciprocal', ieepa_country: 'IEEPA country EO', s122: 'Section 122', s201: 'Section 201', retaliation: 'retaliation' };

function timelineDate(): string {
  if (state.date) return state.date;
  const preset = presets.find((p) => p.id === state.preset);
  return ((preset?.spec.policy as { date?: string } | undefined)?.date) ?? '2025-04-15';
}

function timelineLayout(): HTMLElement {
  const all = days();
  const date = timelineDate();
  const series = policy.etr.byProgram.flatMap((row, k) => row.map((v, c) => ({ date: new Date(`${all[k]}T00:00:00Z`), program: PROGRAM_LABELS[policy.etr.columns[c]] ?? policy.etr.columns[c], v })));
  // Programs that are never in force are left out whole (dropping single zero days would bridge the gaps).
  const used = new Set(series.filter((d) => d.v !== 0).map((d) => d.program));
  const shown = series.filter((d) => used.has(d.program));
  const programs = [...new Set(shown.map((d) => d.program))];
  const actions = policy.actions.filter((a) => a.effective >= policy.coverage.from);
  const acts = actions.map((a: ActionAsset) => ({ ...a, x: new Date(`${a.effective}T00:00:00Z`), label: `${a.effective} · ${a.imposer} · ${a.title}\nlegal: ${a.legal}\nsource: ${a.sources[0] ?? ''}` }));
  const chart = Plot.plot({
    width: 1000,
    height: 340,
    marginLeft: 50,
    x: { type: 'utc', label: 'date' },
    y: { label: 'statutory effective US tariff rate, % (2024 import weights)', grid: true },
    color: { legend: true, domain: programs, scheme: 'tableau10' },
    marks: [
      Plot.areaY(shown, { x: 'date', y: 'v', fill: 'program', order: programs, curve: 'step-after' }),
      Plot.ruleX(acts, { x: 'x', stroke: (d: ActionAsset) => (d.imposer === 'CHN' ? '#b2182b' : '#333'), strokeOpacity: 0.35 }),
      Plot.tip(acts, Plot.pointerX({ x: 'x', title: 'label' })),
      Plot.ruleX([new Date(`${date}T00:00:00Z`)], { stroke: '#f5a300', strokeWidth: 3 }),
    ],
  });
  const idx = Math.max(0, all.indexOf(date));
  const range = el('input', { type: 'range', id: 'scrub', name: 'date-scrub', min: '0', max: String(all.length - 1), step: '1', value: String(idx), 'aria-describedby': 'scrubh' });
  const input = el('input', { type: 'date', id: 'scrub-date', name: 'date', min: policy.coverage.from, max: policy.coverage.to, value: date });
  let timer = 0;
  range.addEventListener('input', () => {
    input.value = all[Number(range.value)];
    window.clearTimeout(timer);
    timer = window.setTimeout(() => setState({ date: input.value }), 30);
  });
  input.addEventListener('change', () => {
    if (!all.includes(input.value)) {
      showMessages([`date '${input.value}' is outside the policy data (${policy.coverage.from} … ${policy.coverage.to})`]);
      return;
    }
    range.value = String(all.indexOf(input.value));
    setState({ date: input.value });
    render();
  });
  const etrToday = policy.etr.etr[idx];
  const table: Table = { id: 'etr', title: 'Daily statutory ETR by program', columns: [{ key: 'date', label: 'Date', unit: '' }, { key: 'etr', label: 'ETR', unit: '%' }, ...policy.etr.columns.map((c) => ({ key: c, label: PROGRAM_LABELS[c] ?? c, unit: 'percentage points' }))], rows: all.map((d, k) => ({ date: d, etr: policy.etr.etr[k], ...Object.fromEntries(policy.etr.columns.map((c, j) => [c, policy.etr.byProgram[k][j]])) })) };
  const actTable: Table = { id: 'actions', title: 'Policy actions', columns: [{ key: 'effective', label: 'Effective', unit: '' }, { key: 'announced', label: 'Announced', unit: '' }, { key: 'imposer', label: 'Imposer', unit: '' }, { key: 'program', label: 'Program', unit: '' }, { key: 'title', label: 'Action', unit: '' }, { key: 'legal', label: 'Legal source', unit: '' }, { key: 'end', label: 'Ends', unit: '' }], rows: actions.map((a) => ({ effective: a.effective, announced: a.announced, imposer: a.imposer, program: a.program, title: a.title, legal: a.legal, end: a.end ?? '' })) };
  const m = matrixAsset(policy, date);
  const ann = announcedDay(policy, date);
  const toggle = el('input', { type: 'checkbox', id: 'announced', name: 'announced', 'aria-describedby': 'annh' });
  toggle.checked = state.announced;
  toggle.addEventListener('change', () => {
    // The toggle needs a day of its own in the link (the preset's day otherwise).
    setState({ announced: toggle.checked, date: state.date ?? date });
    render();
  });
  const annHint = state.announced
    ? `On: every action announced on or before ${date} counts as if in force — the tariffs on ${ann?.date ?? '—'}, the day all of them are in force (policy: {date: ${ann?.date ?? '—'}, announcedThrough: ${date}}).`
    : 'Off: the tariffs legally in force on the day. On: every action announced by the day as if already in force (pauses and later cuts not yet announced are ignored).';
  return el(
    'div',
    {},
    el('h2', {}, 'Timeline: the tariffs in force, day by day'),
    figure('fig-etr', 'Statutory effective US tariff rate by program', 'percent of 2024 US imports (pre-substitution); vertical lines: policy actions (hover for the action, its legal source and date; red: China’s)', chart as unknown as Node, table),
    el('div', { class: 'control' },
      el('label', { for: 'scrub' }, 'Date: tariffs in force on'),
      el('div', { class: 'scrub' }, range, input),
      el('span', { class: 'hint', id: 'scrubh' }, `US statutory ETR on this day: ${fmt(etrToday)}%; the matrix in force since ${m?.key ?? '—'}. Moving the date re-solves the equilibrium with the preset “${String(presets.find((p) => p.id === state.preset)?.spec.name)}” and its lever overrides.`),
    ),
    el('div', { class: 'control' },
      el('div', { class: 'row' }, toggle, el('label', { for: 'announced' }, 'Announced as if in force (instead of in force)')),
      el('span', { class: 'hint', id: 'annh' }, annHint),
    ),
    el('p', { id: 'status', class: 'status', 'aria-live': 'polite' }),
    el('div', { id: 'results' }),
    figure('fig-actions', 'Policy actions (2025–26)', 'date in force, announcement date, legal source', htmlTable(actTable), actTable),
  );
}

function renderTimelineResults(box: HTMLElement): void {
  box.replaceChildren();
  if (runError) {
    box.append(el('p', { class: 'error', role: 'alert' }, `This day could not be solved: ${runError}`));
    return;
  }
  if (!lastRun) return;
  const vm = viewModel(lastRun, state.focus);
  const row = (c: string) => vm.regions.rows.find((r) => r.code === c)!;
  const card = (label: string, v: number, unit: string, key: string) => el('div', { class: 'card', 'data-card': key }, el('div', {}, label), el('div', { class: 'v', 'data-value': String(v) }, `${fmt(v)}%`), el('div', { class: 'u' }, unit));
  box.append(
    el('div', { class: 'cards' },
      card('US tariff on China', lastRun.inForce['USA<CHN'], 'trade-weighted, % ad valorem, goods', 'us-on-china'),
      card('China’s tariff on the US', lastRun.inForce['CHN<USA'], 'trade-weighted, % ad valorem, goods', 'china-on-us'),
      card('US real income', Number(row('USA').realIncome), 'percent change, exact', 'us-real-income'),
      card('China real income', Number(row('CHN').realIncome), 'percent change, exact', 'cn-real-income'),
    ),
    ...(vm.anxious ? [el('p', { 'data-more-anxious': vm.anxious.moreAnxious ?? '' }, vm.anxious.sentence)] : []),
    mapFigure(vm),
  );
}

// ───────────────────────── time view ─────────────────────────
let timeAsset: Promise<TimeAsset> | null = null;

function timeLayout(): HTMLElement {
  const out = el('div', { id: 'time-out', 'aria-live': 'polite' }, el('p', { class: 'status' }, 'loading the monthly model…'));
  timeAsset ??= fetchText('./time.json').then((t) => JSON.parse(t) as TimeAsset);
  timeAsset.then((a) => renderTime(out, a)).catch((err) => {
    timeAsset = null;
    out.replaceChildren(el('p', { class: 'error', role: 'alert' }, `The time view could not load its data: ${(err as Error).message}. Rebuild the app with \`npm run web:build\`.`));
  });
  return el('div', {},
    el('h2', {}, 'Time: predicted vs actual monthly US imports by partner'),
    el('p', {}, 'The monthly timing model (`tariffsim timeline`, docs/timing.md): importers see the dated tariff schedule coming, front-run announced increases and adjust gradually towards the long-run trade flows of the multi-sector model. The dynamic parameters are fitted on data through the cutoff only; the months after it are a backtest.'),
    out);
}

function renderTime(out: HTMLElement, a: TimeAsset): void {
  const r = a.report;
  if (!r) {
    out.replaceChildren(el('p', { class: 'error', role: 'alert' }, `The time view has no data: ${a.missing ?? 'unknown reason'}.`));
    return;
  }
  const names = new Map(r.groups.map((g) => [g.code, g.name]));
  const groupSel = selectControl('Partner group', 'the group whose imports are charted', [['all', 'every group'], ...r.groups.map((g) => [g.code, g.name] as [string, string])], state.group, (v) => { setState({ group: v }, false); renderTime(out, a); }, 'group');
  const shown = state.group === 'all' ? r.groups : r.groups.filter((g) => g.code === state.group);
  const SERIES = [['model', 'model'], ['actual', 'actual'], ['noTariff', 'no-tariff path']] as const;
  const points = r.rows.flatMap((row) => row.imports.filter((x) => shown.some((g) => g.code === x.group)).flatMap((x) => SERIES.flatMap(([k, label]) => (x[k] === null ? [] : [{ month: new Date(`${row.month}-01T00:00:00Z`), group: names.get(x.group) ?? x.group, series: label, v: (x[k] as number) / 1000 }]))));
  const cutoff = new Date(`${r.fitThrough}-01T00:00:00Z`);
  const charts = shown.map((g) => {
    const data = points.filter((p) => p.group === (names.get(g.code) ?? g.code));
    const chart = Plot.plot({
      width: 480,
      height: 240,
      marginLeft: 50,
      title: g.name,
      x: { type: 'utc', label: 'month' },
      y: { label: 'US imports, US$ bn / month (NSA)', grid: true },
      color: { legend: true, domain: SERIES.map(([, l]) => l), range: ['#2166ac', '#000000', '#b2182b'] },
      marks: [
        Plot.ruleX([cutoff], { stroke: '#999', strokeDasharray: '4 3' }),
        Plot.line(data.filter((d) => d.series !== 'no-tariff path'), { x: 'month', y: 'v', stroke: 'series', tip: true }),
        Plot.line(data.filter((d) => d.series === 'no-tariff path'), { x: 'month', y: 'v', stroke: 'series', strokeDasharray: '5 3' }),
      ],
    });
    const wrap = el('div', { 'data-group': g.code });
    wrap.append(chart as unknown as Node);
    return wrap;
  });
  const table: Table = {
    id: 'time',
    title: 'Monthly US imports by partner group: model, actual and no-tariff path',
    columns: [{ key: 'month', label: 'Month', unit: '' }, ...shown.flatMap((g) => [{ key: `${g.code}_model`, label: `${g.name} model`, unit: 'US$ million' }, { key: `${g.code}_actual`, label: `${g.name} actual`, unit: 'US$ million' }, { key: `${g.code}_noTariff`, label: `${g.name} no-tariff`, unit: 'US$ million' }]), { key: 'total_model', label: 'Total model', unit: 'US$ million' }, { key: 'total_actual', label: 'Total actual', unit: 'US$ million' }, { key: 'total_noTariff', label: 'Total no-tariff', unit: 'US$ million' }],
    rows: r.rows.map((row) => ({ month: row.month, ...Object.fromEntries(row.imports.filter((x) => shown.some((g) => g.code === x.group)).flatMap((x) => [[`${x.group}_model`, x.model], [`${x.group}_actual`, x.actual ?? ''], [`${x.group}_noTariff`, x.noTariff]])), total_model: row.total.model, total_actual: row.total.actual ?? '', total_noTariff: row.total.noTariff })),
  };
  const bt = r.backtest;
  const mapeTable: Table = { id: 'mape', title: `Backtest: fitted through ${r.fitThrough}, predicting ${bt.window ? bt.window.join(' … ') : '—'}`, columns: [{ key: 'group', label: 'Partner group', unit: '' }, { key: 'code', label: 'Code', unit: '' }, { key: 'mape', label: 'MAPE', unit: '% of actual monthly imports' }], rows: [...bt.mape.map((x) => ({ group: names.get(x.group) ?? x.group, code: x.group, mape: x.value })), ...(bt.total === null ? [] : [{ group: 'total', code: 'TOTAL', mape: bt.total }])] };
  const facts: Table = { id: 'time-facts', title: 'Q1 2025 surge and H2 2025 effective tariff rate', columns: [{ key: 'measure', label: 'Measure', unit: '' }, { key: 'value', label: 'Value', unit: '' }, { key: 'unit', label: 'Unit', unit: '' }], rows: [
    ...(r.surgeQ1 ? [
      { measure: 'Q1 2025 import surge, model (Jan–Mar 2025 over the no-tariff path)', value: r.surgeQ1.model / 1000, unit: 'US$ bn' },
      { measure: 'Q1 2025 import surge, measured (actual over the no-tariff path)', value: r.surgeQ1.measured / 1000, unit: 'US$ bn' },
      { measure: 'Q1 2025 surge, model / measured', value: r.surgeQ1.ratio, unit: 'ratio' },
    ] : []),
    ...(r.etrH2 ? [
      { measure: 'H2 2025 effective tariff rate, model (duties / imports)', value: r.etrH2.model, unit: '%' },
      { measure: 'H2 2025 effective tariff rate, actual (customs duties / imports)', value: r.etrH2.actual, unit: '%' },
      { measure: 'H2 2025 effective tariff rate, statutory (policy layer as applied each day, 2024 weights)', value: r.etrH2.statutory, unit: '%' },
    ] : []),
  ] };
  out.replaceChildren(
    el('section', { class: 'controls', 'aria-label': 'Time view controls' }, groupSel),
    figure('fig-time', 'Monthly US imports by partner group', `US$ bn per month, not seasonally adjusted; blue: model, black: actual, red dashed: no-tariff path; grey dashed line: the fit cutoff ${r.fitThrough}`, el('div', { class: 'grid2' }, ...charts), table),
    el('div', { class: 'grid2' },
      figure('fig-mape', mapeTable.title, 'mean absolute percentage error of the monthly imports after the cutoff, percent', htmlTable(mapeTable), mapeTable),
      figure('fig-time-facts', facts.title, 'US$ bn over Jan–Mar 2025; rates in percent of imports, mean of Jul–Dec 2025', htmlTable(facts), facts),
    ),
  );
}

// ───────────────────────── deal view ─────────────────────────
const GRID = [0, 10, 25, 50, 85, 125, 145];

function dealLayout(): HTMLElement {
  const out = el('div', { id: 'deal-out' });
  const go = el('button', { type: 'button', id: 'deal-run' }, `Compute the deal zone (${GRID.length * GRID.length} solves)`);
  const status = el('p', { id: 'deal-status', class: 'status', 'aria-live': 'polite' });
  go.addEventListener('click', () => void runDeal(out, status));
  const war = el('button', { type: 'button', id: 'war-run' }, 'Run the Nash trade war on world2024 (on the server)');
  const warOut = el('div', { id: 'war-out', 'aria-live': 'polite' });
  war.addEventListener('click', () => void runWar(warOut));
  const server = el('section', { 'aria-label': 'Runs on the server' }, el('h3', {}, 'Trade war (Nash tariffs) — too long for the page'), el('p', {}, 'Every government sets its best-response tariffs until none wants to change (Ossa 2014 on the multi-sector model): minutes of computing, so it runs on the tariffsim server (POST /v1/runs, kind war).'), war, warOut);
  return el('div', {}, server, el('h2', {}, 'Deal zone: US and China gains over their tariffs on each other'), el('p', {}, `Every cell solves the preset “${String(presets.find((p) => p.id === state.preset)?.spec.name)}” with the US tariff on China (x) and China’s tariff on the US (y) set uniformly on all goods. Colour: each side’s real-income gain over the preset itself (the disagreement point), percentage points. The Nash bargaining point maximises the product of both gains over the cells where both gain. Larger sweeps go to the tariffsim server (POST /v1/runs kind=deal).`), go, status, out);
}

async function runWar(out: HTMLElement): Promise<void> {
  out.replaceChildren(el('p', { class: 'status' }, 'asking the server…'));
  try {
    const result = await runOnServer({ kind: 'war', dataset: 'world2024' }, { fetch: (u, i) => fetch(u, i), onStatus: (s) => out.replaceChildren(el('p', { class: 'status' }, `server: ${s}`)) });
    const json = JSON.stringify(result, null, 2);
    const b = el('button', { type: 'button' }, 'Download the JSON result');
    b.addEventListener('click', () => download('war.json', json, 'application/json'));
    out.replaceChildren(el('details', { open: '' }, el('summary', {}, 'Nash trade war: the server’s report'), el('pre', {}, json.slice(0, 20000))), b);
  } catch (err) {
    out.replaceChildren(el('p', { class: 'error', role: 'alert' }, (err as Error).message));
  }
}

async function runDeal(out: HTMLElement, status: HTMLElement): Promise<void> {
  const base = currentSpec();
  const specs = GRID.flatMap((cn) => GRID.map((us) => scenarioObject(presets.find((p) => p.id === state.preset)!.spec, { ...state, usOnChina: us, chinaOnUs: cn }, regions.map((r) => r.code))));
  try {
    const d = await call<EngineRun>({ type: 'run', spec: base });
    const cells = await call<Record<string, number>[]>({ type: 'grid', specs }, (done, total) => (status.textContent = `solving ${done} / ${total}…`));
    const dUS = d.report.regions.find((r) => r.code === 'USA')!.realIncome;
    const dCN = d.report.regions.find((r) => r.code === 'CHN')!.realIncome;
    const rows = cells.map((c, k) => ({ us: GRID[k % GRID.length], cn: GRID[Math.floor(k / GRID.length)], gainUS: c.USA - dUS, gainCN: c.CHN - dCN }));
    let nash: (typeof rows)[number] | null = null;
    for (const r of rows) if (r.gainUS >= 0 && r.gainCN >= 0 && (!nash || r.gainUS * r.gainCN > nash.gainUS * nash.gainCN)) nash = r;
    const m = Math.max(0.01, ...rows.flatMap((r) => [Math.abs(r.gainUS), Math.abs(r.gainCN)]));
    const heat = (key: 'gainUS' | 'gainCN', label: string) =>
      Plot.plot({ width: 420, height: 360, padding: 0.05, x: { type: 'band', label: 'US tariff on China, %' }, y: { type: 'band', label: 'China’s tariff on the US, %', reverse: true }, color: { type: 'diverging', scheme: DIVERGING, domain: [-m, m], pivot: 0, legend: true, label: `${label} gain over the disagreement point, pp` }, marks: [Plot.cell(rows, { x: 'us', y: 'cn', fill: key, tip: true }), Plot.text(rows, { x: 'us', y: 'cn', text: (r: Record<string, number>) => r[key].toFixed(2), fontSize: 9, fill: (r: Record<string, number>) => (Math.abs(r[key]) > 0.55 * m ? '#fff' : '#000') }), ...(nash ? [Plot.dot([nash], { x: 'us', y: 'cn', r: 12, stroke: '#000', strokeWidth: 2, symbol: 'star' })] : [])] });
    const table: Table = { id: 'deal', title: 'Deal zone', columns: [{ key: 'us', label: 'US tariff on China', unit: '%' }, { key: 'cn', label: 'China’s tariff on the US', unit: '%' }, { key: 'gainUS', label: 'US gain', unit: 'pp of real income vs the preset' }, { key: 'gainCN', label: 'China gain', unit: 'pp of real income vs the preset' }], rows };
    status.textContent = nash ? `Nash bargaining point on this grid: US tariff on China ${nash.us}%, China’s on the US ${nash.cn}% (gains ${fmt(nash.gainUS)} and ${fmt(nash.gainCN)} pp).` : 'No cell of this grid makes both sides gain over the preset.';
    out.replaceChildren(figure('fig-deal', 'Gains of each side', 'percentage points of real income against the preset (the disagreement point); ★ the Nash bargaining point', el('div', { class: 'grid2' }, heat('gainUS', 'US') as unknown as Node, heat('gainCN', 'China') as unknown as Node), table));
  } catch (err) {
    status.textContent = '';
    out.replaceChildren(el('p', { class: 'error', role: 'alert' }, `The deal zone could not be computed: ${(err as Error).message}`));
  }
}

// ───────────────────────── lookup view ─────────────────────────
function lookupLayout(): HTMLElement {
  const l = state.lookup;
  const form = el('form', { class: 'controls', 'aria-label': 'Tariff lookup' });
  const field = (id: string, label: string, input: HTMLInputElement, hint: string) => el('div', { class: 'control' }, el('label', { for: id }, label), input, el('span', { class: 'hint' }, hint));
  const hts = el('input', { id: 'lk-hts', name: 'hts', value: l.hts, inputmode: 'numeric', required: '' });
  const partner = el('input', { id: 'lk-partner', name: 'partner', value: l.partner, required: '' });
  const date = el('input', { id: 'lk-date', name: 'date', type: 'date', value: l.date, min: policy.coverage.from, max: policy.coverage.to, required: '' });
  form.append(
    field('lk-hts', 'HTS code or prefix', hts, '2–10 digits, e.g. 9503 (toys)'),
    field('lk-partner', 'Partner (exporting country)', partner, 'ISO3 (CHN), Census code or name; EU for the bloc'),
    field('lk-date', 'Date', date, `${policy.coverage.from} … ${policy.coverage.to}`),
    el('button', { type: 'submit' }, 'Look up'),
  );
  const out = el('div', { id: 'lookup-out', 'aria-live': 'polite' });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const code = hts.value.replace(/\./g, '').trim();
    if (!/^\d{2,10}$/.test(code)) {
      out.replaceChildren(el('p', { class: 'error', role: 'alert' }, `'${hts.value}' is not an HTS code of 2–10 digits`));
      return;
    }
    setState({ lookup: { hts: code, partner: partner.value.trim(), date: date.value } }, false);
    void runLookup(out);
  });
  queueMicrotask(() => void runLookup(out));
  return el('div', {}, el('h2', {}, 'Tariff lookup: HTS × partner × date'), el('div', { class: 'layout' }, form, out));
}

async function runLookup(out: HTMLElement): Promise<void> {
  const l = state.lookup;
  out.replaceChildren(el('p', { class: 'status' }, 'looking up…'));
  const q = new URLSearchParams({ date: l.date, partner: l.partner, hts: l.hts });
  let res: Response;
  try {
    res = await fetch(`/v1/policy/tariffs?${q}`, { headers: { accept: 'application/json' } });
  } catch {
    out.replaceChildren(el('p', { class: 'error', role: 'alert' }, 'The tariff lookup needs the tariffsim server (`npm run web` or `tariffsim serve`): no server answered at /v1/policy/tariffs.'));
    return;
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const b = (body ?? {}) as { detail?: string; title?: string };
    const msg = res.status === 404 && !b.detail ? 'The tariff lookup needs the tariffsim server (`npm run web` or `tariffsim serve`): this static host has no /v1/policy/tariffs.' : `${b.detail ?? b.title ?? `HTTP ${res.status}`}`;
    out.replaceChildren(el('p', { class: 'error', role: 'alert' }, msg));
    return;
  }
  const rows = lookupRows(body);
  if (!rows.length) {
    out.replaceChildren(el('p', { class: 'error', role: 'alert' }, 'The server answered with no lookup.'));
    return;
  }
  const programs = Object.keys(rows[0].byProgram).filter((p) => rows.some((r) => r.byProgram[p] !== 0));
  const table: Table = {
    id: 'lookup',
    title: `${rows[0].importer} tariffs on goods from ${rows[0].partner.name} on ${rows[0].date}`,
    columns: [
      { key: 'hts', label: 'HTS', unit: '' },
      { key: 'partner', label: 'Partner', unit: '' },
      { key: 'imports', label: 'Imports 2024', unit: 'USD million' },
      { key: 'mfn', label: 'MFN', unit: '% ad valorem' },
      ...programs.map((p) => ({ key: p, label: PROGRAM_LABELS[p] ?? p, unit: 'points' })),
      { key: 'additional', label: 'Additional', unit: 'points over MFN' },
      { key: 'total', label: 'Total', unit: '% ad valorem' },
      { key: 'rule', label: 'Rule', unit: '' },
      { key: 'legal', label: 'Legal source', unit: '' },
    ],
    rows: rows.map((r) => ({
      hts: r.hts,
      partner: r.partner.key,
      imports: r.imports2024 == null ? '' : r.imports2024 / 1e6,
      mfn: r.mfn,
      ...Object.fromEntries(programs.map((p) => [p, r.byProgram[p]])),
      additional: r.additional,
      total: r.total,
      rule: r.rule,
      legal: [...new Set(Object.values(r.actions ?? {}).flat())].map((id) => policy.actions.find((a) => a.id === id)?.legal ?? id).join('; '),
    })),
  };
  out.replaceChildren(figure('fig-lookup', table.title, 'percent ad valorem; programs in points added to MFN; the rule that decided the stack and the legal source of each action', htmlTable(table, 1), table), el('h3', {}, 'Why (first line)'), el('ul', {}, ...rows[0].notes.map((n) => el('li', {}, n))));
}

// ───────────────────────── about ─────────────────────────
function aboutLayout(): HTMLElement {
  const p = (t: string) => el('p', {}, t);
  return el('article', { class: 'about' },
    el('h2', {}, 'About tariffsim'),
    p('tariffsim is an open TypeScript system for tariff wars and trade talks on real data. This page runs the Caliendo–Parro (2015) multi-sector general-equilibrium model in your browser, in a Web Worker, on the embedded 2024 world (16 regions × 18 sectors). The numbers equal the command line’s (`tariffsim run scenarios/<preset>.yaml --json`) for the same scenario.'),
    el('h3', {}, 'Models'),
    el('ul', {},
      el('li', {}, 'Caliendo, L. and Parro, F. (2015), “Estimates of the Trade and Welfare Effects of NAFTA”, Review of Economic Studies 82(1): exact hat algebra, multi-sector input–output linkages; real income is the exact Î/P̂, first in every report.'),
      el('li', {}, 'Structural gravity with PPML (Santos Silva and Tenreyro 2006; Yotov et al. 2016) for elasticities.'),
      el('li', {}, 'Ossa, R. (2014), “Trade Wars and Trade Talks with Data”, American Economic Review 104(12): optimal, Nash and cooperative tariffs (the trade war and talks run on the tariffsim server).'),
    ),
    el('h3', {}, 'Data'),
    el('ul', {},
      el('li', {}, 'world2024: WIOD 2013 release (2011 structure) aggregated to 16 regions × 18 sectors, re-targeted to 2024 GDP and goods trade (World Bank WDI), US flows by partner × sector from the US Census 2024 (data/baseline/world2024.provenance.md).'),
      el('li', {}, `Tariff policy layer: every US action and China’s retaliation from 2025-01-01 to ${policy.coverage.to}, with legal sources (data/policy/*.yaml); 2024 US import weights. The tariff matrices for each day on which the tariffs change, the daily effective rate by program and the action list are computed at build time (src/web-build/assets.ts).`),
      el('li', {}, 'Time view: US Census monthly imports by partner, customs duties and goods trade (shared data us-tariffs/timeseries); the monthly timing model (docs/timing.md) fitted on data through 2025-06 and precomputed at build time (`tariffsim timeline`).'),
    ),
    el('h3', {}, 'Assumptions'),
    el('ul', {},
      el('li', {}, 'Fixed deficits: trade deficits stay at their baseline levels in units of world GDP (the numéraire). Zero deficits: the baseline is re-solved with balanced trade first, then the shock is applied (as in CP2015).'),
      el('li', {}, 'Consumer prices are shown in the region’s own wage units (P̂/ŵ − 1) and in world-GDP units.'),
      el('li', {}, 'Lever rates are uniform ad valorem tariffs on all goods that replace the rates in force for that pair of regions.'),
      el('li', {}, `The “more anxious party” compares each side’s position in the scenario with the ${DEAL_REFERENCE} preset (the deal) on six measures: the loss in % of real income and in dollars per year on GDP, exports to the other side in % of GDP, imports from the other in sectors where it supplies at least a quarter of world exports, tariff revenue in % of GDP, and the change of manufacturing real output. The verdict says which measures point which way.`),
      el('li', {}, 'The statutory effective rate is pre-substitution (2024 import weights).'),
    ),
    el('h3', {}, 'Sharing'),
    p('The whole view state is in the link (after #); every chart and table has a CSV download; the scenario view also downloads the JSON report.'),
  );
}

void boot();
