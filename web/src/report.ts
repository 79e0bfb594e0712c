// Reading the report JSON: the profile sentence and the children's rates,
// shared by the dashboard and the print view.

import type { AsOfReport, Figures, UnitsProfile } from './api';
import { fmtInt, t, type Key } from './i18n';

/** "10 đơn vị hành chính cấp huyện; 130 xã, phường, thị trấn (116 xã, 9 phường, 5 thị trấn); …" */
export function profileLine(u: UnitsProfile | undefined, level?: string): string {
  if (!u) return '';
  const parts: string[] = [];
  if (u.districts && level !== 'district') parts.push(t('profile.districts', { n: fmtInt(u.districts) }));
  if (u.communes && level !== 'commune') {
    const kinds = Object.entries(u.communes_by_kind ?? {}).filter(([, n]) => n)
      .map(([k, n]) => t(`profile.kind.${k}` as Key, { n: fmtInt(n) }));
    parts.push(t('profile.communes', { n: fmtInt(u.communes) }) + (kinds.length ? ` (${kinds.join(', ')})` : ''));
  }
  if (u.border_communes && level !== 'commune') parts.push(t('profile.border', { n: fmtInt(u.border_communes) }));
  if (u.difficult_communes && level !== 'commune') {
    parts.push(t('profile.difficult', { c: fmtInt(u.difficult_communes), v: fmtInt(u.difficult_villages), t: fmtInt(u.villages) }));
  } else if (u.difficult_villages) {
    parts.push(t('profile.difficultVillages', { v: fmtInt(u.difficult_villages), t: fmtInt(u.villages) }));
  } else if (u.villages) {
    parts.push(t('profile.villages', { n: fmtInt(u.villages) }));
  }
  if (u.population) parts.push(t('profile.population', { n: fmtInt(u.population) }));
  if (!parts.length) return '';
  const s = parts.join('; ') + '.';
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const villageRate = (f: Figures): number | null => (f.villages.total ? (100 * f.villages.with_org) / f.villages.total : null);

/** The figures of the whole scope, as a pseudo-child for totals rows. */
export const totalsOf = (r: AsOfReport): Figures => ({
  villages: r.villages, schools: r.schools, health_stations: r.health_stations, members: r.members,
});
