// The whole view state of the web app, as it travels in the URL (query string after '#'): parse, validate and
// serialize. Parsing never throws: bad entries are dropped and listed as messages the page shows.
export type View = 'scenario' | 'timeline' | 'time' | 'deal' | 'lookup' | 'about';
export const VIEWS: View[] = ['scenario', 'timeline', 'time', 'deal', 'lookup', 'about'];
export type Closure = 'fixed-deficits' | 'zero-deficits';

export interface AppState {
  view: View;
  preset: string;
  /** Tariffs in force on this day instead of the preset's date (timeline scrubbing), YYYY-MM-DD. */
  date: string | null;
  /** Timeline: every action announced by the date as if in force (instead of the tariffs in force on it). */
  announced: boolean;
  /** Time view: the partner group shown ('all' = every group). */
  group: string;
  /** Lever overrides: uniform ad valorem tariff on all goods, percent; null = the rates in force. */
  usOnChina: number | null;
  chinaOnUs: number | null;
  usOnOthers: number | null;
  dealPartner: string;
  dealRate: number | null;
  closure: Closure | null;
  /** Region whose balances by partner are shown. */
  focus: string;
  lookup: { hts: string; partner: string; date: string };
}

/** Partner groups of the monthly timing model (src/model/timing/types.ts GROUPS), 'all' for every one. */
export const TIME_GROUPS = ['all', 'CAN', 'MEX', 'CHN', 'EU', 'ROW'];

export const TARIFF_MIN = 0;
export const TARIFF_MAX = 300;

export const DEFAULT_STATE: AppState = {
  view: 'scenario',
  preset: 'us-china-2025-04-standoff',
  date: null,
  announced: false,
  group: 'all',
  usOnChina: null,
  chinaOnUs: null,
  usOnOthers: null,
  dealPartner: 'JPN',
  dealRate: null,
  closure: null,
  focus: 'USA',
  lookup: { hts: '9503', partner: 'CHN', date: '2025-04-15' },
};

export interface ParseContext {
  presets: string[];
  regions: string[];
  coverage: { from: string; to: string };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function validDay(s: string): boolean {
  if (!DAY.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Parses a URL hash ('#view=scenario&preset=…'); unknown or out-of-range entries become messages. */
export function parseState(hash: string, ctx: ParseContext): { state: AppState; errors: string[] } {
  const state: AppState = structuredClone(DEFAULT_STATE);
  const errors: string[] = [];
  const text = hash.replace(/^#/, '');
  if (!text) return { state, errors };
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(text);
  } catch {
    return { state, errors: [`the link's state '${text.slice(0, 80)}' is not readable; showing the default view`] };
  }
  const known = new Set(['view', 'preset', 'date', 'usChn', 'chnUs', 'usOth', 'partner', 'deal', 'closure', 'focus', 'hts', 'lpartner', 'ldate', 'ann', 'group']);
  for (const k of params.keys()) if (!known.has(k)) errors.push(`unknown link parameter '${k}' (ignored); known: ${[...known].join(', ')}`);
  const get = (k: string) => params.get(k);
  const v = get('view');
  if (v !== null) {
    if ((VIEWS as string[]).includes(v)) state.view = v as View;
    else errors.push(`unknown view '${v}'; views: ${VIEWS.join(', ')}`);
  }
  const p = get('preset');
  if (p !== null) {
    if (ctx.presets.includes(p)) state.preset = p;
    else errors.push(`unknown preset '${p}'; presets: ${ctx.presets.join(', ')}`);
  }
  const d = get('date');
  if (d !== null) {
    if (!validDay(d)) errors.push(`date '${d}' is not a day as YYYY-MM-DD`);
    else if (d < ctx.coverage.from || d > ctx.coverage.to) errors.push(`date ${d} is outside the policy data (${ctx.coverage.from} … ${ctx.coverage.to})`);
    else state.date = d;
  }
  const ann = get('ann');
  if (ann !== null) {
    if (ann === '1' || ann === '0') state.announced = ann === '1';
    else errors.push(`ann='${ann}' is not 1 (announced as if in force) or 0 (in force)`);
  }
  const group = get('group');
  if (group !== null) {
    if (TIME_GROUPS.includes(group)) state.group = group;
    else errors.push(`unknown partner group '${group}'; groups: ${TIME_GROUPS.join(', ')}`);
  }
  const rate = (key: string, label: string): number | null => {
    const s = get(key);
    if (s === null || s === '') return null;
    const x = Number(s);
    if (!Number.isFinite(x)) {
      errors.push(`${label} '${s}' is not a number (percent)`);
      return null;
    }
    if (x < TARIFF_MIN || x > TARIFF_MAX) {
      errors.push(`${label} ${x}% is out of range (${TARIFF_MIN}–${TARIFF_MAX}%)`);
      return null;
    }
    return x;
  };
  state.usOnChina = rate('usChn', 'US tariff on China');
  state.chinaOnUs = rate('chnUs', "China's tariff on the US");
  state.usOnOthers = rate('usOth', 'US tariff on other partners');
  state.dealRate = rate('deal', 'deal rate');
  const partner = get('partner');
  if (partner !== null) {
    if (ctx.regions.includes(partner) && partner !== 'USA' && partner !== 'CHN') state.dealPartner = partner;
    else errors.push(`deal partner '${partner}' is not a region other than USA and CHN; regions: ${ctx.regions.filter((r) => r !== 'USA' && r !== 'CHN').join(', ')}`);
  }
  const focus = get('focus');
  if (focus !== null) {
    if (ctx.regions.includes(focus)) state.focus = focus;
    else errors.push(`unknown region '${focus}'; regions: ${ctx.regions.join(', ')}`);
  }
  const c = get('closure');
  if (c !== null) {
    if (c === 'fixed-deficits' || c === 'zero-deficits') state.closure = c;
    else errors.push(`unknown closure '${c}'; use fixed-deficits or zero-deficits`);
  }
  const hts = get('hts');
  if (hts !== null) {
    if (/^\d{2,10}$/.test(hts.replace(/\./g, ''))) state.lookup.hts = hts.replace(/\./g, '');
    else errors.push(`'${hts}' is not an HTS code of 2–10 digits`);
  }
  const lp = get('lpartner');
  if (lp !== null) {
    if (/^[A-Za-z0-9 .,'()-]{2,60}$/.test(lp)) state.lookup.partner = lp;
    else errors.push(`'${lp.slice(0, 60)}' is not a partner name or code`);
  }
  const ld = get('ldate');
  if (ld !== null) {
    if (validDay(ld)) state.lookup.date = ld;
    else errors.push(`lookup date '${ld}' is not a day as YYYY-MM-DD`);
  }
  return { state, errors };
}

/** The state as a URL hash (defaults left out, so links stay short). */
export function serializeState(s: AppState): string {
  const p = new URLSearchParams();
  const d = DEFAULT_STATE;
  p.set('view', s.view);
  if (s.preset !== d.preset) p.set('preset', s.preset);
  if (s.date) p.set('date', s.date);
  if (s.announced) p.set('ann', '1');
  if (s.group !== d.group) p.set('group', s.group);
  if (s.usOnChina !== null) p.set('usChn', String(s.usOnChina));
  if (s.chinaOnUs !== null) p.set('chnUs', String(s.chinaOnUs));
  if (s.usOnOthers !== null) p.set('usOth', String(s.usOnOthers));
  if (s.dealPartner !== d.dealPartner) p.set('partner', s.dealPartner);
  if (s.dealRate !== null) p.set('deal', String(s.dealRate));
  if (s.closure) p.set('closure', s.closure);
  if (s.focus !== d.focus) p.set('focus', s.focus);
  if (s.view === 'lookup' || s.lookup.hts !== d.lookup.hts || s.lookup.partner !== d.lookup.partner || s.lookup.date !== d.lookup.date) {
    p.set('hts', s.lookup.hts);
    p.set('lpartner', s.lookup.partner);
    p.set('ldate', s.lookup.date);
  }
  return `#${p.toString()}`;
}
