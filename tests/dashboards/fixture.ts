/**
 * A fixed synthetic set of metric rows for the dashboards: every metric of the
 * registry at every grain (the catalog is the registry's), deterministic (no clock, no Math.random). The default is 4
 * hospitals × 3 departments × 24 months (2023-01 … 2024-12), plus
 * - a department of H2 named `<img src=x onerror=alert(1)>` (labels are data);
 * - one tiny cell, H1 / CARD / 2024-03, with 3 admissions and 3 stays, which
 *   suppression hides (and so a second H1 department that month, by subtraction);
 * - built-in stories: H1's readmissions fall from 2024 (an improving shift), H3's
 *   mortality rises from 2024-04 while its admissions grow, H4's avoidable trips rise.
 * `fixtureRows({hospitals: 20, departments: 15, months: 36})` gives the size that
 * docs/dashboards.md#measured-size-and-speed reports.
 */
import { catalogEntries } from '../../metrics/registry.js';
import type { CatalogEntry, CellPeople, MetricRow } from '../../metrics/types.js';

export const XSS_DEPARTMENT = '<img src=x onerror=alert(1)>';
export const TINY_CELL = { hospital: 'H1', department: 'CARD', period: '2024-03' } as const;

/** The catalog the fixture is published with: every metric of the registry (the SQL headers). */
export const FIXTURE_CATALOG: CatalogEntry[] = catalogEntries();

export interface FixtureSize {
  hospitals?: number;
  departments?: number;
  months?: number;
}

/** A deterministic pseudo-random number in [0, 1) from a text key (FNV-1a, then a xorshift mix). */
function noise(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 13;
  h = Math.imul(h, 0x5bd1e995) >>> 0;
  h ^= h >>> 15;
  return (h >>> 0) / 4294967296;
}

const DEPT_NAMES = ['MED', 'SURG', 'CARD', 'ORTH', 'NEUR', 'ONC', 'PAED', 'GER', 'PULM', 'GAST', 'NEPH', 'URO', 'GYN', 'ENT', 'DERM'];

/** Metrics the fixture writes at hospital level only (their trip story is below). */
const HOSPITAL_ONLY = ['trips_per_patient', 'consolidation_ratio', 'avoidable_trips'];

/** A department-month cell of a metric kind, from the cell's admissions. */
function plainCell(kind: CatalogEntry['kind'], adm: number): Cell[string] {
  if (kind === 'count' || kind === 'sum') return { n: adm, d: null, v: adm };
  if (kind === 'quantile') return { n: null, d: adm, v: 3 };
  const n = Math.round(adm * 0.1);
  return { n, d: adm, v: n / adm };
}

interface Cell {
  [metric: string]: { n: number | null; d: number | null; v: number; people?: CellPeople };
}

/** Every metric row of the fixture, sorted by the metrics table's key columns. */
export function fixtureRows(size: FixtureSize = {}): MetricRow[] {
  const nh = size.hospitals ?? 4;
  const nd = size.departments ?? 3;
  const nm = size.months ?? 24;
  const hospitals = Array.from({ length: nh }, (_, i) => `H${i + 1}`);
  const months = Array.from({ length: nm }, (_, i) => {
    const y = 2023 + Math.floor(i / 12);
    return `${y}-${String((i % 12) + 1).padStart(2, '0')}`;
  });
  const depts = (h: string) => {
    const d = DEPT_NAMES.slice(0, nd);
    return h === 'H2' && nh <= 4 ? [...d, XSS_DEPARTMENT] : d;
  };

  // Department-month cells: counts, then the hospital and overall cells add them up.
  const cells = new Map<string, Cell>();
  const cellKey = (p: string, h: string, d: string) => `${p}|${h}|${d}`;
  for (const h of hospitals) {
    const hi = hospitals.indexOf(h);
    for (const d of depts(h)) {
      months.forEach((p, mi) => {
        const r = (k: string) => noise(`${k}|${p}|${h}|${d}`);
        const tiny = h === TINY_CELL.hospital && d === TINY_CELL.department && p === TINY_CELL.period;
        const growth = h === 'H3' ? 1 + mi * 0.012 : 1;
        const adm = tiny ? 3 : Math.round((90 + 25 * ((hi + d.length) % 4) + 30 * r('adm')) * growth);
        const stays = tiny ? 3 : Math.round(adm * 0.92);
        const index = tiny ? 3 : Math.round(stays * 0.85);
        const year2024 = p >= '2024-01';
        const readmP = h === 'H1' && year2024 ? 0.08 : 0.12;
        const readm = tiny ? 1 : Math.round(index * (readmP + 0.03 * (r('readm') - 0.5)));
        const mortP = h === 'H3' && p >= '2024-04' ? 0.11 : 0.07;
        const mort = tiny ? 0 : Math.round(index * (mortP + 0.02 * (r('mort') - 0.5)));
        const ed = Math.round(adm * 1.4);
        const edIndex = Math.round(ed * 0.7);
        const edRet = Math.round(edIndex * (0.08 + 0.03 * (r('ed') - 0.5)));
        const los = 3.5 + 1.5 * r('los') + (h === 'H2' ? 1 : 0);
        const drg = Math.round(adm * 12 * (1 + 0.2 * r('drg'))) / 10;
        // The DRG value that paid for readmissions follows the readmissions (H1's fall from 2024).
        const paid = Math.round(drg * (readmP + 0.01 + 0.03 * (r('paid') - 0.5)) * 10) / 10;
        const patients = tiny ? 3 : Math.round(adm * 0.9);
        const c: Cell = {
          admissions: { n: adm, d: null, v: adm },
          stays: { n: stays, d: null, v: stays },
          bed_days: { n: Math.round(stays * los), d: null, v: Math.round(stays * los) },
          ambulatory_visits: { n: adm * 3, d: null, v: adm * 3 },
          treatments: { n: adm * 4, d: null, v: adm * 4 },
          emergency_visits: { n: ed, d: null, v: ed },
          drg_value: { n: drg, d: null, v: drg },
          readmission_30d: { n: readm, d: index, v: readm / index },
          readmission_drg_share: { n: paid, d: drg, v: paid / drg, people: { numerator: readm, denominator: patients, complement: patients - Math.round(readm * 0.7) } },
          readmission_7d: { n: Math.round(readm * 0.45), d: index, v: Math.round(readm * 0.45) / index },
          readmission_30d_oe: { n: readm, d: index * 0.12, v: readm / (index * 0.12) },
          los_mean: { n: Math.round(stays * los), d: stays, v: Math.round(stays * los) / stays },
          los_median: { n: null, d: stays, v: Math.floor(los) },
          los_p90: { n: null, d: stays, v: Math.floor(los * 2.6) },
          mortality_30d: { n: mort, d: index, v: mort / index },
          daoh_30: { n: Math.round(stays * (24 + 2 * r('daoh'))), d: stays, v: Math.round(stays * (24 + 2 * r('daoh'))) / stays },
          ed_return_72h: { n: edRet, d: edIndex, v: edRet / edIndex },
        };
        // A metric without a story of its own here (a newly added one) still gets plausible rows of its
        // kind, so that adding a metric needs no change to this fixture.
        for (const e of FIXTURE_CATALOG) if (!(e.id in c) && !HOSPITAL_ONLY.includes(e.id)) c[e.id] = plainCell(e.kind, adm);
        cells.set(cellKey(p, h, d), c);
      });
    }
  }

  const rows: MetricRow[] = [];
  const view = (m: string) => FIXTURE_CATALOG.find((c) => c.id === m)!.view;
  const push = (m: string, period: string, h: string, d: string, n: number | null, den: number | null, v: number, people?: CellPeople) =>
    rows.push({ metric_id: m, view: view(m), period, hospital_id: h, department_id: d, numerator: n, denominator: den, value: v, lower: null, upper: null, ...(people ? { people } : {}) });

  // Sum department cells into a total for one (period set, hospital set).
  const total = (periods: string[], hs: string[], ds: (h: string) => string[], m: string) => {
    let n = 0;
    let d = 0;
    const vs: number[] = [];
    // People do not add up across months (a patient comes back); the sum is plausible enough here.
    const people: CellPeople = { numerator: 0, denominator: 0, complement: 0 };
    for (const p of periods) for (const h of hs) for (const dd of ds(h)) {
      const c = cells.get(cellKey(p, h, dd))![m]!;
      n += c.n ?? 0;
      d += c.d ?? 0;
      vs.push(c.v);
      if (c.people) for (const k of ['numerator', 'denominator', 'complement'] as const) people[k] += c.people[k];
    }
    return { n, d, vs, people };
  };
  const years = [...new Set(months.map((p) => p.slice(0, 4)))];
  const deptMetrics = Object.keys(cells.values().next().value!);
  const periodSets: [string, string[]][] = [...months.map((p) => [p, [p]] as [string, string[]]), ...years.map((y) => [y, months.filter((p) => p.startsWith(y))] as [string, string[]])];
  for (const m of deptMetrics) {
    const e = FIXTURE_CATALOG.find((c) => c.id === m)!;
    const value = (t: { n: number; d: number; vs: number[]; people: CellPeople }): { n: number | null; d: number | null; v: number; people?: CellPeople } => {
      if (e.kind === 'count' || e.kind === 'sum') return { n: Math.round(t.n * 10) / 10, d: null, v: Math.round(t.n * 10) / 10 };
      // A share divides by drg_value's value of the same cell, rounded the same way.
      if (e.kind === 'share') {
        const [n, d] = [Math.round(t.n * 10) / 10, Math.round(t.d * 10) / 10];
        return { n, d, v: n / d, people: t.people };
      }
      // Quantiles do not add up: the fixture takes the median of the parts (values only need to look plausible).
      if (e.kind === 'quantile') return { n: null, d: t.d, v: [...t.vs].sort((a, b) => a - b)[Math.floor((t.vs.length - 1) / 2)]! };
      return { n: t.n, d: Math.round(t.d * 1000) / 1000, v: t.n / t.d };
    };
    for (const [period, ps] of periodSets) {
      for (const h of hospitals) {
        for (const d of depts(h)) {
          const x = value(total(ps, [h], () => [d], m));
          push(m, period, h, d, x.n, x.d, x.v, x.people);
        }
        const x = value(total(ps, [h], depts, m));
        push(m, period, h, 'ALL', x.n, x.d, x.v, x.people);
      }
      const x = value(total(ps, hospitals, depts, m));
      push(m, period, 'ALL', 'ALL', x.n, x.d, x.v, x.people);
    }
  }

  // Hospital-level trip metrics: no department rows.
  for (const [period, ps] of periodSets) {
    let allTrips = 0;
    let allPatients = 0;
    let allTreat = 0;
    let allAvoid = 0;
    for (const h of hospitals) {
      let trips = 0;
      let patients = 0;
      let avoid = 0;
      for (const p of ps) {
        const hi = hospitals.indexOf(h);
        const pt = 180 + 20 * hi + Math.round(30 * noise(`pt|${p}|${h}`));
        const tr = Math.round(pt * (1.5 + 0.2 * noise(`tr|${p}|${h}`)));
        const avShare = h === 'H4' && p >= '2024-01' ? 0.2 + 0.004 * months.indexOf(p) : 0.15 + 0.03 * (noise(`av|${p}|${h}`) - 0.5);
        patients += pt;
        trips += tr;
        avoid += Math.round(tr * avShare);
      }
      const treat = Math.round(trips * 1.3);
      push('trips_per_patient', period, h, 'ALL', trips, patients, trips / patients);
      push('consolidation_ratio', period, h, 'ALL', treat, trips, treat / trips);
      push('avoidable_trips', period, h, 'ALL', avoid, trips, avoid / trips);
      allTrips += trips;
      allPatients += patients;
      allTreat += treat;
      allAvoid += avoid;
    }
    push('trips_per_patient', period, 'ALL', 'ALL', allTrips, allPatients, allTrips / allPatients);
    push('consolidation_ratio', period, 'ALL', 'ALL', allTreat, allTrips, allTreat / allTrips);
    push('avoidable_trips', period, 'ALL', 'ALL', allAvoid, allTrips, allAvoid / allTrips);
  }

  const key = (r: MetricRow) => [r.metric_id, r.view, r.period, r.hospital_id, r.department_id];
  return rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return 0;
  });
}

/** Run date and cutoff the fixture is published with. */
export const FIXTURE_RUN = { runDate: '2025-02-01', cutoff: '2024-12-31 23:59:59' } as const;
