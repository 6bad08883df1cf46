// Stacking rules: how the rates of the programs in force on a product combine into the tariff it pays.
// Each rule is a small named function, tested one by one in test/policy/stacking.test.ts. Rates are percent
// ad valorem. Sources for the rules: EO 14257 §3 (reciprocal duties do not apply to Section 232 goods),
// Budget Lab tariff-rate-tracker stacking (README, policy_params.yaml), the rules.
//
//   China (and Hong Kong):  MFN + (a 232 program applies ? 232 : reciprocal) + fentanyl + country EO + 301 + 122 + 201
//   Others:                 MFN + (a 232 program applies ? 232 : reciprocal + fentanyl + country EO) + 122 + 301 + 201
//   Derivatives (232 on metal content m):  m·stack(232 on) + (1 − m)·stack(232 off)
//   USMCA-qualifying share q (Canada, Mexico):  q·stack(qualifying) + (1 − q)·stack(non-qualifying)
//   "Floor" deals (EU, Japan, Korea, Switzerland):  reciprocal = max(0, 15% − MFN)

/** The non-MFN programs, in the order of the per-program columns of every output. */
export const STACK_PROGRAMS = ['s232', 's301', 'ieepa_fentanyl', 'ieepa_reciprocal', 'ieepa_country', 's122', 's201', 'retaliation'] as const;
export type StackProgram = (typeof STACK_PROGRAMS)[number];
export const NP = STACK_PROGRAMS.length;
export const P_S232 = 0;
export const P_S301 = 1;
export const P_FENT = 2;
export const P_RECIP = 3;
export const P_COUNTRY = 4;
export const P_S122 = 5;
export const P_S201 = 6;
export const P_RETAL = 7;

export function programIndex(p: string): number {
  return (STACK_PROGRAMS as readonly string[]).indexOf(p);
}

/** How the slots of one program combine: Section 232 programs and Section 301 lists do not add up — the
 *  highest applies (a product on two 301 lists pays the higher rate; Budget Lab takes the max over 232
 *  programs); every other program's slots add (e.g. China's all-goods and product-list retaliation). */
export function combineSlots(programIdx: number, current: number, slotRate: number): number {
  return programIdx === P_S232 || programIdx === P_S301 ? Math.max(current, slotRate) : current + slotRate;
}

/** "Floor" deal: an all-in 15% means the reciprocal (or 232) duty tops MFN up to the floor, never below 0. */
export function floorDealRate(floor: number, mfn: number): number {
  return Math.max(0, floor - mfn);
}

/** Rate paid by a USMCA-qualifying good under an action marked `usmca`: `exempt` → 0; `us_content` → only the
 *  non-US content is taxed (Section 232 autos: rate × (1 − US content share)). */
export function usmcaQualifyingRate(rate: number, kind: 'exempt' | 'us_content' | null, usContentShare: number): number {
  if (kind === 'exempt') return 0;
  if (kind === 'us_content') return rate * (1 - usContentShare);
  return rate;
}

/** China rule: MFN + (a 232 program applies ? 232 : reciprocal) + fentanyl + country + 301 + 122 + 201.
 *  EO 14257 §3(b)(ii) exempts articles subject to Section 232 duties from the reciprocal duty for every
 *  country, China included (the 125% never applied to a Chinese car or, from 3 May 2025, auto part); the
 *  fentanyl duty (EO 14195) and Section 301 have no such exception and add. Writes the contribution of each
 *  program into `out` (length NP) given the combined program rates `r` (length NP). Returns the rule name. */
export function stackChina(r: ArrayLike<number>, applies232: boolean, out: Float64Array, o = 0): string {
  copyRates(r, out, o);
  if (applies232) {
    out[o + P_RECIP] = 0;
    return 'china: 232 applies, no reciprocal (EO 14257 §3(b)(ii)); fentanyl + 301 add';
  }
  out[o + P_S232] = 0;
  return 'china: additive';
}

/** Rule for other partners: a Section 232 program that applies displaces the reciprocal, fentanyl and
 *  country-EO duties; 301, 122, 201 always add. */
export function stackOthers(r: ArrayLike<number>, applies232: boolean, out: Float64Array, o = 0): string {
  copyRates(r, out, o);
  if (applies232) {
    out[o + P_RECIP] = 0;
    out[o + P_FENT] = 0;
    out[o + P_COUNTRY] = 0;
    return '232 applies: reciprocal/fentanyl/country duties not charged';
  }
  out[o + P_S232] = 0;
  return 'others: reciprocal + fentanyl + country + 301 + 122 + 201';
}

/** China's tariffs on US goods: all retaliation slots add on top of MFN. */
export function stackRetaliation(r: ArrayLike<number>, out: Float64Array, o = 0): string {
  copyRates(r, out, o);
  return 'retaliation: all-goods + product lists';
}

/** Section 232 derivatives pay 232 on their metal content m; the rest of the value is stacked as if no 232
 *  program applied. */
export function derivativeSplit(m: number, on: number, off: number): number {
  return m * on + (1 - m) * off;
}

/** Expected tariff over a USMCA-qualifying share q. */
export function usmcaMix(q: number, qualifying: number, nonQualifying: number): number {
  return q * qualifying + (1 - q) * nonQualifying;
}

/** MFN actually owed: statutory MFN scaled by the share entering duty-free under FTA/GSP preferences. */
export function effectiveMfn(mfn: number, preferenceShare: number): number {
  return mfn * (1 - Math.min(1, Math.max(0, preferenceShare)));
}

function copyRates(r: ArrayLike<number>, out: Float64Array, o: number): void {
  for (let k = 0; k < NP; k++) out[o + k] = r[k];
}
