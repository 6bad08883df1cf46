// Product coverage of an action: `all`, named lists, explicit prefixes or chapters, each with optional
// exceptions. Compiled once into prefix sets; `matches(hts10)` is a handful of Set lookups.
// Pure: named lists are resolved through a callback that returns their codes.
import { InputError, type InputLocation } from '../errors.ts';
import { normalizeCode, PrefixSet } from './hts.ts';
import type { ProductSpec, ProductsSpec } from './schema.ts';

/** A named list's codes (normalized prefixes) and exceptions; undefined when no list has that name. */
export type ListResolver = (name: string) => { codes: string[]; except?: string[] } | undefined;

interface Part {
  include: PrefixSet | 'all';
  except: PrefixSet | null;
}

export class ProductMatcher {
  /** Plain description for messages, e.g. "list annex2_apr2025 + prefixes 2701,271111". */
  readonly label: string;
  private readonly parts: Part[];
  readonly isAll: boolean;

  constructor(parts: Part[], label: string) {
    this.parts = parts;
    this.label = label;
    this.isAll = parts.some((p) => p.include === 'all' && !p.except);
  }

  matches(hts: string): boolean {
    for (const p of this.parts) {
      if ((p.include === 'all' || p.include.covers(hts)) && !(p.except && p.except.covers(hts))) return true;
    }
    return false;
  }

  /**
   * The HS chapters (2-digit prefixes) the matcher can match, or 'all' (every code starts with its chapter, so a
   * code outside these chapters never matches). For indexing many matchers by chapter.
   */
  chapters(): Set<string> | 'all' {
    const out = new Set<string>();
    for (const p of this.parts) {
      if (p.include === 'all') return 'all';
      for (const c of p.include.codes()) out.add(c.slice(0, 2));
    }
    return out;
  }

  /** Conservative overlap test between two matchers (true if some code could be in both). */
  overlaps(other: ProductMatcher): boolean {
    for (const a of this.parts) {
      for (const b of other.parts) {
        if (a.include === 'all' || b.include === 'all') return true;
        const [small, big] = a.include.size <= b.include.size ? [a.include, b.include] : [b.include, a.include];
        for (const code of small.codes()) if (big.intersectsPrefix(code)) return true;
      }
    }
    return false;
  }
}

/** Compiles one or more product specs; unknown list names and malformed codes are InputErrors at `loc`
 *  (which names the action id, file, line). */
export function compileProducts(spec: ProductsSpec, resolve: ListResolver, loc: InputLocation): ProductMatcher {
  const specs: ProductSpec[] = Array.isArray(spec) ? spec : [spec];
  const parts: Part[] = [];
  const labels: string[] = [];
  for (const s of specs) {
    if (s === 'all') {
      parts.push({ include: 'all', except: null });
      labels.push('all products');
      continue;
    }
    const except = s.except?.length ? new PrefixSet(s.except.map((c) => code(c, loc))) : null;
    if ('list' in s) {
      const list = resolve(s.list);
      if (!list) {
        throw new InputError(`unknown product list '${s.list}'`, loc, 'add the list to data/policy/product-lists.yaml or fix the name');
      }
      const ex = new PrefixSet([...(list.except ?? []), ...(except?.codes() ?? [])]);
      parts.push({ include: new PrefixSet(list.codes), except: ex.size ? ex : null });
      labels.push(`list ${s.list}`);
    } else {
      const codes = 'prefixes' in s ? s.prefixes : s.chapters;
      parts.push({ include: new PrefixSet(codes.map((c) => code(c, loc))), except });
      labels.push(`${'prefixes' in s ? 'HTS' : 'chapters'} ${codes.join(',')}`);
    }
  }
  return new ProductMatcher(parts, labels.join(' + '));
}

function code(raw: string, loc: InputLocation): string {
  const c = normalizeCode(raw);
  if (!c) throw new InputError(`'${raw}' is not an HTS/HS code of 2–10 digits`, loc);
  return c;
}
