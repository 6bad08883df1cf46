// HTS/HS product codes and prefix matching. Codes are digit strings of 2–10 digits (dots removed); a
// shorter code covers every longer code that starts with it (chapter 95 ⊃ heading 9503 ⊃ HTS10 9503000073).
// Pure: no Node APIs.

/** Removes dots, spaces and quotes; returns null unless the result is 2–10 digits. */
export function normalizeCode(raw: string): string | null {
  const s = String(raw).replace(/["'\s.]/g, '');
  return /^\d{2,10}$/.test(s) ? s : null;
}

/** A set of code prefixes with an O(number of distinct prefix lengths) membership test. */
export class PrefixSet {
  private readonly byLength = new Map<number, Set<string>>();
  private lengths: number[] = [];
  size = 0;

  constructor(codes: Iterable<string> = []) {
    for (const c of codes) this.add(c);
  }

  add(code: string): void {
    let s = this.byLength.get(code.length);
    if (!s) {
      s = new Set();
      this.byLength.set(code.length, s);
      this.lengths = [...this.byLength.keys()].sort((a, b) => a - b);
    }
    if (!s.has(code)) {
      s.add(code);
      this.size++;
    }
  }

  /** True when some prefix in the set starts `code` (or equals it). */
  covers(code: string): boolean {
    for (const L of this.lengths) {
      if (L > code.length) break;
      if (this.byLength.get(L)!.has(code.length === L ? code : code.slice(0, L))) return true;
    }
    return false;
  }

  /** True when some prefix in the set starts with `code` or is covered by it (used for overlap checks). */
  intersectsPrefix(code: string): boolean {
    if (this.covers(code)) return true;
    for (const L of this.lengths) {
      if (L <= code.length) continue;
      for (const p of this.byLength.get(L)!) if (p.startsWith(code)) return true;
    }
    return false;
  }

  codes(): string[] {
    return this.lengths.flatMap((L) => [...this.byLength.get(L)!]);
  }
}

/** The HS chapter (first two digits) of a code, as a number 1–99. */
export function chapterOf(code: string): number {
  return Number(code.slice(0, 2));
}
