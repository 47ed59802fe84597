/**
 * Accessible names of the charts: for each state of the controls a chart follows,
 * one sentence that says what the chart shows and what it finds, e.g. "Funnel plot
 * of 30-day unplanned readmission against index stays, 2024, by hospital; 2 of 10
 * hospitals outside the 95% limits". A screen reader reads it as the chart's name;
 * the page script swaps it when a control changes (docs/dashboards.md, Accessibility).
 */
import type { CatalogEntry } from '../metrics/types.js';
import type { Unit } from './data/changes.js';
import type { PChartSet } from './data/datasets.js';
import type { YearPair } from './data/periods.js';
import { vegaLocale, type Strings } from './i18n.js';
import type { ChartName, DataRow, Locale } from './types.js';

export type { ChartName };


/** The key of a state: the parameters' values as JSON (labels are data and may hold any character). */
export const nameKey = (values: unknown[]): string => JSON.stringify(values);

type UnitKind = 'hospital' | 'department';

const EN = {
  and: 'and',
  /** How "Whole hospital" reads inside a sentence. */
  whole: 'the whole hospital',
  units: { hospital: ['hospital', 'hospitals'], department: ['department', 'departments'] } as Record<UnitKind, [string, string]>,
  shareOf: /^share of (.+)$/i,
  volume: 'volume',
  noData: (what: string, unit: string) => `${what}: no data for ${unit}`,
  funnel: (metric: string, noun: string, period: string, kind: string) => `Funnel plot of ${metric} against ${noun}, ${period}, by ${kind}`,
  funnelNone: (n: number, units: string) => `${n === 1 ? '' : 'all '}${n} ${units} inside the 95% limits`,
  funnelOut: (k: number, n: number, units: string) => `${k} of ${n} ${units} outside the 95% limits`,
  funnelOut998: (k: number) => `${k} of them outside the 99.8% limits`,
  noPeriod: 'no data for this period',
  pchart: (metric: string, from: string, to: string, unit: string) => `Control chart (p-chart) of ${metric} per month, ${from} to ${to}, ${unit}`,
  latest: 'latest month',
  matrix: (a: number, o: number, who: string, years: string) => `Change matrix of ${a} activity and ${o} outcome metrics for ${who}, ${years}`,
  matrixCells: (better: number, worse: number, empty: number, total: number) =>
    `outcomes better in ${better} cells and worse in ${worse}; ${empty} of ${total} cells empty (no data or hidden)`,
  quadrant: (act: string, out: string, years: string, all: string) => `Scatter plot of the change in ${act} against the change in ${out}, ${years}, one point per hospital and one for ${all}`,
  noPoints: 'no points',
  lines: (metrics: string, from: string, to: string, unit: string) => `Line charts per month of ${metrics}, ${from} to ${to}, ${unit}`,
  metricLines: (metric: string, from: string, to: string, unit: string) =>
    `Line chart of ${metric} per month, ${from} to ${to}: ${unit} against every hospital and all hospitals together`,
};

const DA: typeof EN = {
  and: 'og',
  whole: 'hele hospitalet',
  units: { hospital: ['hospital', 'hospitaler'], department: ['afdeling', 'afdelinger'] },
  shareOf: /^andel af (.+)$/i,
  volume: 'volumen',
  noData: (what, unit) => `${what}: ingen data for ${unit}`,
  funnel: (metric, noun, period, kind) => `Tragtdiagram af ${metric} mod ${noun}, ${period}, pr. ${kind}`,
  funnelNone: (n, units) => `${n === 1 ? '' : 'alle '}${n} ${units} inden for 95 %-grænserne`,
  funnelOut: (k, n, units) => `${k} af ${n} ${units} uden for 95 %-grænserne`,
  funnelOut998: (k) => `${k} af dem uden for 99,8 %-grænserne`,
  noPeriod: 'ingen data for perioden',
  pchart: (metric, from, to, unit) => `Kontroldiagram (p-kort) af ${metric} pr. måned, ${from} til ${to}, ${unit}`,
  latest: 'seneste måned',
  matrix: (a, o, who, years) => `Ændringsmatrix for ${a} aktivitets- og ${o} resultatindikatorer for ${who}, ${years}`,
  matrixCells: (better, worse, empty, total) => `resultater bedre i ${better} celler og dårligere i ${worse}; ${empty} af ${total} celler tomme (ingen data eller skjult)`,
  quadrant: (act, out, years, all) => `Punktdiagram af ændringen i ${act} mod ændringen i ${out}, ${years}, ét punkt pr. hospital og ét for ${all}`,
  noPoints: 'ingen punkter',
  lines: (metrics, from, to, unit) => `Kurver pr. måned af ${metrics}, ${from} til ${to}, ${unit}`,
  metricLines: (metric, from, to, unit) => `Kurve over ${metric} pr. måned, ${from} til ${to}: ${unit} mod hvert hospital og alle hospitaler samlet`,
};

/** Everything the sentences need besides the data (a page builder's context fits). */
export interface NameContext {
  t: Strings;
  ctx: { locale: Locale };
}

const words = (c: NameContext) => (c.ctx.locale === 'da' ? DA : EN);

/** A title inside a sentence: first letter lower-cased unless it starts an abbreviation ("DRG value" stays). */
export function inSentence(title: string): string {
  return /^\p{Lu}\p{Ll}/u.test(title) ? title[0]!.toLowerCase() + title.slice(1) : title;
}

/** `YYYY-MM` as "January 2023" / "januar 2023". */
export function monthText(period: string, locale: Locale): string {
  const months = vegaLocale(locale).time['months'] as string[];
  return `${months[Number(period.slice(5, 7)) - 1]} ${period.slice(0, 4)}`;
}

/** "A", "A and B", "A, B and C"; "A; B, C and D" when an item holds a comma ("Length of stay, 90th percentile"). */
export function listText(items: string[], c: NameContext): string {
  const sep = items.some((i) => i.includes(',')) ? '; ' : ', ';
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(sep)} ${words(c).and} ${items[items.length - 1]}`;
}

/** A unit inside a sentence: the "all hospitals" and "whole hospital" labels lower-cased, names as they are. */
function unitText(u: Unit, c: NameContext): string {
  return u.label === c.t.wholeHospital ? words(c).whole : u.label === c.t.allHospitals ? inSentence(u.label) : u.label;
}

/** Names for every value of one parameter (or one fixed text when `param` is null). */
function perValue<T>(param: string | null, values: T[], key: (v: T) => string, text: (v: T) => string): ChartName {
  if (param === null) return { params: [], texts: { [nameKey([])]: text(values[0]!) } };
  return { params: [param], texts: Object.fromEntries(values.map((v) => [nameKey([key(v)]), text(v)])) };
}

/** First and last month of some monthly rows, or null when there are none. */
function monthSpan(rows: DataRow[]): [string, string] | null {
  const months = rows.map((r) => String(r['period'])).sort();
  return months.length ? [months[0]!, months[months.length - 1]!] : null;
}

/** The noun the funnel's volume counts: "index stays" from the unit "share of index stays". */
function volumeNoun(entry: CatalogEntry, c: NameContext): string {
  return words(c).shareOf.exec(entry.unit)?.[1] ?? words(c).volume;
}

/** A funnel plot per period: how many units lie outside the 95% and 99.8% limits. */
export function funnelName(c: NameContext, entry: CatalogEntry, points: DataRow[], periods: { value: string; label: string }[], param: string, kind: UnitKind): ChartName {
  const w = words(c);
  const [one, many] = w.units[kind];
  return perValue(param, periods, (p) => p.value, (p) => {
    const here = points.filter((r) => r['metric_id'] === entry.id && r['period'] === p.value);
    const out95 = here.filter((r) => r['band'] !== 'within').length;
    const out998 = here.filter((r) => r['band'] === 'beyond998').length;
    const finding = here.length === 0 ? w.noPeriod : out95 === 0 ? w.funnelNone(here.length, here.length === 1 ? one : many) : w.funnelOut(out95, here.length, here.length === 1 ? one : many) + (out998 ? `, ${w.funnelOut998(out998)}` : '');
    return `${w.funnel(inSentence(entry.title), volumeNoun(entry, c), p.label, one)}; ${finding}`;
  });
}

/** A p-chart per unit: the months it covers and the reading of the latest month. */
export function pchartName(c: NameContext, entry: CatalogEntry, set: PChartSet, units: Unit[], unit: { param: string } | { fixed: string }): ChartName {
  const w = words(c);
  const param = 'param' in unit ? unit.param : null;
  const shown = 'param' in unit ? units : units.filter((u) => u.id === unit.fixed);
  return perValue(param, shown, (u) => u.id, (u) => {
    const chart = set.charts.get(entry.id)?.get(u.id);
    const span = monthSpan(set.points.filter((r) => r['metric_id'] === entry.id && r['unit'] === u.id));
    if (!chart || !span) return w.noData(c.t.control.title(entry.title), unitText(u, c));
    const s = chart.summary;
    const reading = `${c.t.control.status[s.status]}${s.rule ? ` (${c.t.control.rules[s.rule]})` : ''}`;
    return `${w.pchart(inSentence(entry.title), monthText(span[0], c.ctx.locale), monthText(span[1], c.ctx.locale), unitText(u, c))}; ${w.latest}: ${reading}`;
  });
}

/**
 * The change matrix per year: how many outcome cells got better or worse, and how many are empty.
 * `units` are the matrix's rows, the last one the total (all hospitals, or the whole hospital).
 */
export function matrixName(c: NameContext, metrics: CatalogEntry[], units: Unit[], kind: UnitKind, changes: DataRow[], pairs: YearPair[], param: string): ChartName {
  const w = words(c);
  const a = metrics.filter((m) => m.view === 'activity').length;
  const total = metrics.length * units.length;
  const parts = units.length - 1;
  const who = `${parts} ${w.units[kind][parts === 1 ? 0 : 1]} ${w.and} ${unitText(units[units.length - 1]!, c)}`;
  return perValue(param, pairs, (p) => p.year, (p) => {
    const rows = changes.filter((r) => r['year'] === p.year);
    const outcome = rows.filter((r) => r['view'] === 'outcome');
    const count = (s: string) => outcome.filter((r) => r['status'] === s).length;
    const years = c.t.yearOption(p.year, p.previous, p.partial);
    return `${w.matrix(a, metrics.length - a, who, years)}: ${w.matrixCells(count('better'), count('worse'), total - rows.length, total)}`;
  });
}

/** The quadrant chart per (activity metric, outcome metric, year): how many hospitals in each quadrant (`quad` without the total). */
export function quadrantName(c: NameContext, activity: CatalogEntry[], outcome: CatalogEntry[], quad: DataRow[], pairs: YearPair[], params: [string, string, string]): ChartName {
  const w = words(c);
  const [upRight, downRight, upLeft, downLeft] = c.t.overview.quadrants;
  const texts: Record<string, string> = {};
  for (const act of activity) {
    for (const out of outcome) {
      for (const p of pairs) {
        const xy = quad
          .filter((r) => r['year'] === p.year)
          .map((r) => [r[`s_${act.id}`], r[`s_${out.id}`]])
          .filter((v): v is [number, number] => typeof v[0] === 'number' && typeof v[1] === 'number');
        const n = (fx: (x: number) => boolean, fy: (y: number) => boolean) => xy.filter(([x, y]) => fx(x) && fy(y)).length;
        const pos = (v: number) => v > 0;
        const neg = (v: number) => v < 0;
        const counts = [
          [upRight, n(pos, pos)],
          [downRight, n(pos, neg)],
          [upLeft, n(neg, pos)],
          [downLeft, n(neg, neg)],
        ] as const;
        const found = counts.filter(([, k]) => k > 0).map(([label, k]) => `${label}: ${k}`);
        const head = w.quadrant(inSentence(act.title), inSentence(out.title), c.t.yearOption(p.year, p.previous, p.partial), inSentence(c.t.allHospitals));
        texts[nameKey([act.id, out.id, p.year])] = `${head}; ${found.length ? found.join('; ') : w.noPoints}`;
      }
    }
  }
  return { params: [...params], texts };
}

/** Monthly line charts of some metrics per unit (or for one fixed unit). */
export function linesName(c: NameContext, metrics: CatalogEntry[], rows: DataRow[], units: Unit[], param: string | null, fixed?: string): ChartName {
  const w = words(c);
  const shown = param === null ? units.filter((u) => u.id === fixed) : units;
  const titles = listText(metrics.map((m, i) => (i === 0 ? m.title : inSentence(m.title))), c);
  const ids = new Set(metrics.map((m) => m.id));
  return perValue(param, shown, (u) => u.id, (u) => {
    const span = monthSpan(rows.filter((r) => r['unit'] === u.id && ids.has(String(r['metric_id']))));
    if (!span) return w.noData(titles, unitText(u, c));
    return w.lines(inSentence(titles), monthText(span[0], c.ctx.locale), monthText(span[1], c.ctx.locale), unitText(u, c));
  });
}

/** A metric page's lines: the chosen hospital against every hospital and all hospitals together. */
export function metricLinesName(c: NameContext, entry: CatalogEntry, rows: DataRow[], units: Unit[], param: string): ChartName {
  const w = words(c);
  const span = monthSpan(rows);
  return perValue(param, units, (u) => u.id, (u) =>
    span ? w.metricLines(inSentence(entry.title), monthText(span[0], c.ctx.locale), monthText(span[1], c.ctx.locale), unitText(u, c)) : w.noData(entry.title, unitText(u, c)),
  );
}

/** The text of a chart's default state: the parameters at the values the page opens with. */
export function defaultName(name: ChartName, defaults: Record<string, string>): string {
  return name.texts[nameKey(name.params.map((p) => defaults[p]))] ?? '';
}

/** The initial values of a spec's top-level parameters (the state a page opens in and the SVG images show). */
export function paramDefaults(spec: Record<string, unknown>): Record<string, string> {
  const params = Array.isArray(spec['params']) ? (spec['params'] as { name?: unknown; value?: unknown }[]) : [];
  return Object.fromEntries(params.filter((p) => typeof p.name === 'string').map((p) => [p.name as string, String(p.value)]));
}
