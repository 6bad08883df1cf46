// The 16 world2024 regions as sets of countries of the world map (world-atlas ids are ISO 3166-1 numeric
// codes). The EU is its 27 members (2020–); every country not listed (and map features without an id) is in
// the rest of the world, ROW.
export const REGION_COUNTRIES: Record<string, string[]> = {
  USA: ['840'],
  CHN: ['156'],
  CAN: ['124'],
  MEX: ['484'],
  EU: ['040', '056', '100', '191', '196', '203', '208', '233', '246', '250', '276', '300', '348', '372', '380', '428', '440', '442', '470', '528', '616', '620', '642', '703', '705', '724', '752'],
  GBR: ['826'],
  JPN: ['392'],
  KOR: ['410'],
  TWN: ['158'],
  IND: ['356'],
  BRA: ['076'],
  RUS: ['643'],
  AUS: ['036'],
  IDN: ['360'],
  TUR: ['792'],
};

const byCountry = new Map<string, string>();
for (const [region, ids] of Object.entries(REGION_COUNTRIES)) for (const id of ids) byCountry.set(id, region);

/** The world2024 region of a map feature's id (ROW when unlisted or absent). */
export function regionOfCountry(id: string | number | undefined | null): string {
  if (id === undefined || id === null) return 'ROW';
  return byCountry.get(String(id).padStart(3, '0')) ?? 'ROW';
}
