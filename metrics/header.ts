/**
 * The comment header that opens every metric SQL file: `-- key: value` lines,
 * validated with zod so that a missing or misspelt key names the file and key.
 */
import { z } from 'zod';
import { issueMessages } from '../pipeline/core/zod-messages.js';
import { SHARE_UNIT, isShare } from './catalog.js';
import { SETTINGS } from '../pipeline/ingest/schema.js';

const word = /^[a-z][a-z0-9_]*$/;
const text = z.string().trim().min(1, 'must not be empty');

/** Comma-separated words, or `none` for the empty list. */
function wordList<T extends string>(item: z.ZodType<T>) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty (write "none")')
    .transform((s, ctx) => {
      if (s === 'none') return [] as T[];
      const out: T[] = [];
      for (const part of s.split(',').map((x) => x.trim())) {
        const r = item.safeParse(part);
        if (!r.success) {
          ctx.addIssue({ code: 'custom', message: `"${part}" is not allowed here` });
          return z.NEVER;
        }
        out.push(r.data);
      }
      return out;
    });
}

export const HeaderSchema = z
  .object({
    metric_id: z.string().regex(word, 'lower-case letters, digits and _'),
    version: z.string().regex(/^\d+(\.\d+)*$/, 'a version number such as 1 or 1.2'),
    view: z.enum(['activity', 'outcome']),
    // Every text a reader sees comes in English and, on the next line, in Danish (`_da`).
    title: text,
    title_da: text,
    definition: text,
    definition_da: text,
    grain: text,
    grain_da: text,
    numerator: text,
    numerator_da: text,
    denominator: text,
    denominator_da: text,
    exclusions: wordList(z.string().regex(word)),
    unit: text,
    unit_da: text,
    direction: z.enum(['higher_is_better', 'lower_is_better', 'neutral']),
    kind: z.enum(['count', 'sum', 'rate', 'mean', 'quantile', 'ratio', 'oe', 'share']),
    level: z.enum(['department', 'hospital']),
    requires: wordList(z.enum(['patients', 'drg'])),
    // Where the metric stands in lists and pages: ascending, activity view first.
    order: z
      .string()
      .regex(/^[1-9]\d{0,5}$/, 'a whole number from 1, such as 10 (leave gaps to insert later metrics)')
      .transform(Number),
    docs: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*\.md$/, 'a page under docs/, such as metrics/trips.md'),
    charts: wordList(z.enum(['funnel', 'control'])),
    // Which periods a record is filed under: the one of its event, or every one its stay spans.
    periods: z.enum(['event', 'spread']),
    quantile: z
      .string()
      .regex(/^\d+\/\d+$/, 'a fraction p/q such as 1/2')
      .transform((s) => {
        const [p, q] = s.split('/').map(Number) as [number, number];
        return { p, q };
      })
      .refine(({ p, q }) => p > 0 && p <= q, 'p/q must lie in (0, 1]')
      .optional(),
    /** The metric whose value is this one's denominator in every cell (suppressed together). */
    denominator_metric: z.string().regex(word, 'a metric id').optional(),
    /**
     * `patients`: a record's facts depend only on its own patient's rows and the run's parameters,
     * so a night recomputes the facts of the patients whose rows changed (docs/architecture.md#nightly-recompute).
     * `years`: the facts of a calendar year are made of that year's rows of one shared block whose
     * rows are each one patient's (`per_patient`): a night keeps the block's rows per patient,
     * recomputes those of the patients whose rows changed, and computes the metric again for the
     * years in which a row changed (expected rates of the same year, docs/architecture.md#nightly-recompute).
     * `all` (the default): every run recomputes every fact.
     */
    recompute: z.enum(['all', 'patients', 'years']).optional(),
    /** With `recompute: years`: the shared block (metrics/shared/<name>.sql) kept per patient. */
    per_patient: z.string().regex(word, 'a shared block name').optional(),
    /**
     * With `recompute: patients` or `years`: how many days before the cutoff a record's facts still depend on
     * where the cutoff lies (a follow-up window); such records are recomputed when the cutoff moves.
     */
    follow_up_days: z
      .string()
      .regex(/^\d{1,3}$/, 'a whole number of days, such as 3')
      .transform(Number)
      .optional(),
    /**
     * With `recompute: patients` or `years`: the only treatment settings whose rows the metric reads; a
     * treatment of another setting near a moved cutoff then recomputes nobody. Default: every setting.
     */
    near_settings: wordList(z.enum(SETTINGS)).optional(),
  })
  .strict()
  .superRefine((h, ctx) => {
    if (h.kind === 'quantile' && !h.quantile)
      ctx.addIssue({ code: 'custom', path: ['quantile'], message: 'required for kind quantile' });
    if (h.kind !== 'quantile' && h.quantile)
      ctx.addIssue({ code: 'custom', path: ['quantile'], message: 'only allowed for kind quantile' });
    // Funnel plots and p-charts draw a share of records, with binomial limits.
    if (h.charts.length && !isShare(h))
      ctx.addIssue({ code: 'custom', path: ['charts'], message: 'funnel and control charts need kind rate or share, or a ratio whose unit is a share' });
    if (h.recompute === 'patients' && h.kind === 'oe')
      ctx.addIssue({ code: 'custom', path: ['recompute'], message: 'kind oe reads every patient (its expected rates): it cannot be recomputed per patient' });
    const perNight = h.recompute === 'patients' || h.recompute === 'years';
    if (h.follow_up_days !== undefined && !perNight)
      ctx.addIssue({ code: 'custom', path: ['follow_up_days'], message: 'only allowed with "recompute: patients" or "recompute: years"' });
    if (h.near_settings !== undefined && !perNight)
      ctx.addIssue({ code: 'custom', path: ['near_settings'], message: 'only allowed with "recompute: patients" or "recompute: years"' });
    if ((h.recompute === 'years') !== (h.per_patient !== undefined))
      ctx.addIssue({ code: 'custom', path: ['per_patient'], message: '"recompute: years" names the shared block kept per patient (per_patient), and only it' });
    if (SHARE_UNIT.test(h.unit) !== SHARE_UNIT.test(h.unit_da))
      ctx.addIssue({ code: 'custom', path: ['unit_da'], message: 'must start with "andel" exactly when unit starts with "share"' });
  });

export type Header = z.infer<typeof HeaderSchema>;

/** Keys every header must carry (quantile only for kind quantile). */
const OPTIONAL_KEYS = new Set(['quantile', 'denominator_metric', 'recompute', 'per_patient', 'follow_up_days', 'near_settings']);
export const REQUIRED_KEYS = Object.keys(HeaderSchema.shape).filter((k) => !OPTIONAL_KEYS.has(k));

export interface ParsedFile {
  header: Header;
  /** The SQL after the header, without a trailing semicolon. */
  body: string;
}

/**
 * Split a SQL file of `metrics/` into its header and body. The header is the leading run of
 * `-- key: value` lines; a line `--` followed by two or more spaces continues the previous
 * value (long definitions may wrap). Any other line ends the header, so ordinary comments may
 * follow it. The body is the SQL after the header, without a trailing semicolon. Throws an
 * Error naming `file` when a key appears twice. Metric files and shared blocks both use it.
 */
export function splitHeader(source: string, file: string): { raw: Record<string, string>; body: string } {
  const lines = source.split(/\r?\n/);
  const raw: Record<string, string> = {};
  let last: string | undefined;
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    const m = /^--\s?([a-z_]+):\s*(.*)$/.exec(line);
    if (m) {
      const key = m[1]!;
      if (key in raw) throw new Error(`${file}: header key "${key}" appears twice`);
      raw[key] = m[2]!.trim();
      last = key;
    } else if (last && /^--\s{2,}\S/.test(line)) {
      raw[last] = `${raw[last]} ${line.slice(2).trim()}`;
    } else {
      break;
    }
  }
  const body = lines
    .slice(i)
    .join('\n')
    .trim()
    .replace(/;\s*$/, '');
  return { raw, body };
}

/** Split a metric file into its header and body and validate the header (see `splitHeader`). Throws an Error naming `file`. */
export function parseMetricFile(source: string, file: string): ParsedFile {
  const { raw, body } = splitHeader(source, file);
  const r = HeaderSchema.safeParse(raw);
  if (!r.success) throw new Error(`${file}: bad metric header: ${issueMessages(r.error, '(header)', raw).join('; ')}`);
  if (!body) throw new Error(`${file}: no SQL after the header`);
  return { header: r.data, body };
}
