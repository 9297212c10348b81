/**
 * United Nations regional groups of Member States (ISO 3166-1 alpha-2), as used for elections and for
 * balancing participation. Special cases decided here (see docs/regions.md):
 * - United States (US): in no group formally; attends WEOG as an observer and is counted there for
 *   electoral purposes, so it is `western_european_others`.
 * - Türkiye (TR): takes part in both WEOG and the Asia-Pacific Group; counted in WEOG for elections,
 *   so `western_european_others`.
 * - Israel (IL): a full member of WEOG (in New York) since 2000 and its successor arrangements, so
 *   `western_european_others`.
 * - Kiribati (KI): a Member State that has joined no group; we count it in `asia_pacific`, where it lies
 *   and where its neighbours sit, rather than mix a Member State in with territories under `other`.
 * Everything else (observer states such as the Holy See and the State of Palestine, territories such as
 * Puerto Rico or Hong Kong, Taiwan, Antarctica) is `other`.
 */
export const REGIONAL_GROUPS = [
  'african',
  'asia_pacific',
  'eastern_european',
  'latin_american_caribbean',
  'western_european_others',
  'other',
] as const;
export type RegionalGroup = (typeof REGIONAL_GROUPS)[number];

const MEMBERS: Record<Exclude<RegionalGroup, 'other'>, string> = {
  african:
    'DZ AO BJ BW BF BI CV CM CF TD KM CG CI CD DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML MR MU MA MZ NA NE NG RW ST SN SC SL SO ZA SS SD TG TN UG TZ ZM ZW',
  asia_pacific:
    'AF BH BD BT BN KH CN CY KP FJ IN ID IR IQ JP JO KZ KW KG LA LB MY MV MH FM MN MM NR NP OM PK PW PG PH QA KR WS SA SG SB LK SY TJ TH TL TO TM TV AE UZ VU VN YE KI',
  eastern_european: 'AL AM AZ BY BA BG HR CZ EE GE HU LV LT ME MK PL MD RO RU RS SK SI UA',
  latin_american_caribbean:
    'AG AR BS BB BZ BO BR CL CO CR CU DM DO EC SV GD GT GY HT HN JM MX NI PA PY PE KN LC VC SR TT UY VE',
  western_european_others: 'AD AU AT BE CA DK FI FR DE GR IS IE IL IT LI LU MT MC NL NZ NO PT SM ES SE CH TR GB US',
};

const BY_COUNTRY = new Map<string, RegionalGroup>(
  Object.entries(MEMBERS).flatMap(([group, codes]) =>
    codes.split(' ').map((code) => [code, group as RegionalGroup] as const),
  ),
);

/** The UN regional group of a country (ISO 3166-1 alpha-2, any case); `other` for non-members. */
export function regionFor(country: string): RegionalGroup {
  return BY_COUNTRY.get(country.toUpperCase()) ?? 'other';
}

/** The 193 UN Member States, for tests and the documentation. */
export function memberStates(): string[] {
  return [...BY_COUNTRY.keys()];
}
