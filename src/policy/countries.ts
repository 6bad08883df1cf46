// Countries and country groups: ISO3 ↔ US Census Schedule C codes, EU membership, and the EU bloc that the
// 2024 HTS10 trade data report as one partner (Census code 0003). Pure: parses CSV text.
import { InputError } from '../errors.ts';
import { column, parseCsv } from '../data/csv.ts';

export interface Country {
  /** ISO 3166 alpha-3 code (project codes XKX, PSG, PSW where ISO has none); 'EU' for the EU bloc. */
  key: string;
  census: string;
  name: string;
  /** Groups the country belongs to (e.g. ['EU']). */
  groups: string[];
  /** For a bloc (the EU in the trade data): the keys of its members. */
  members?: string[];
}

export class CountryTable {
  readonly all: Country[];
  private readonly byKey = new Map<string, Country>();
  private readonly byCensus = new Map<string, Country>();
  private readonly byName = new Map<string, Country>();
  /** Group name → member keys (e.g. 'EU' → 27 ISO3 codes). */
  readonly groups = new Map<string, string[]>();

  constructor(countries: Country[]) {
    this.all = countries;
    for (const c of countries) {
      this.byKey.set(c.key.toUpperCase(), c);
      this.byCensus.set(c.census, c);
      this.byName.set(c.name.toLowerCase(), c);
      for (const g of c.groups) {
        if (!this.groups.has(g)) this.groups.set(g, []);
        this.groups.get(g)!.push(c.key);
      }
    }
    // A bloc partner carries the members of the group of the same name.
    for (const c of countries) if (this.groups.has(c.key) && !c.groups.includes(c.key)) c.members = this.groups.get(c.key);
  }

  /** A country (or bloc) by ISO3 key, Census code or exact name (case-insensitive); undefined if unknown. */
  find(key: string): Country | undefined {
    const k = String(key).trim();
    return this.byKey.get(k.toUpperCase()) ?? this.byCensus.get(k) ?? this.byName.get(k.toLowerCase());
  }

  byCensusCode(code: string): Country | undefined {
    return this.byCensus.get(code);
  }

  /** Expands a target key to member keys: a group gives its members, a country itself; null if unknown. */
  expand(key: string): string[] | null {
    const g = this.groups.get(key.toUpperCase());
    if (g) return g;
    const c = this.byKey.get(key.toUpperCase());
    return c ? [c.key] : null;
  }
}

/** Parses data/policy/countries.csv (census_code, iso3, name, groups, source). `groups` is ';'-separated. */
export function parseCountries(text: string, file: string): CountryTable {
  const t = parseCsv(text, file);
  const ci = column(t, 'census_code');
  const ki = column(t, 'iso3');
  const ni = column(t, 'name');
  const gi = column(t, 'groups');
  column(t, 'source');
  const seen = new Set<string>();
  const out: Country[] = [];
  t.rows.forEach((r, row) => {
    const census = r[ci].trim();
    const key = r[ki].trim().toUpperCase();
    if (!/^\d{4}$/.test(census)) throw new InputError(`census_code '${census}' is not a 4-digit Census Schedule C code`, { file, row: row + 1, field: 'census_code' });
    if (!/^[A-Z]{2,3}$/.test(key)) throw new InputError(`iso3 '${key}' is not a 2–3 letter code`, { file, row: row + 1, field: 'iso3' });
    if (seen.has(key)) throw new InputError(`iso3 '${key}' appears twice`, { file, row: row + 1, field: 'iso3' });
    seen.add(key);
    const groups = r[gi].split(';').map((g) => g.trim().toUpperCase()).filter(Boolean);
    out.push({ key, census, name: r[ni].trim(), groups });
  });
  return new CountryTable(out);
}
