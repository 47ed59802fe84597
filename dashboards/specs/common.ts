/** Pieces every Vega-Lite spec shares: schema, look, colours, the time axis. */
import type { Spec } from '../types.js';

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * Colour-blind safe colours (Okabe & Ito). Blue and orange for better and worse
 * follow NHS England's "Making Data Count"; shapes repeat every colour's meaning.
 */
export const COLOURS = {
  better: '#0072B2',
  worse: '#D55E00',
  neutral: '#CC79A7',
  common: '#7F7F7F',
  line: '#4D4D4D',
  limit: '#8C8C8C',
  centre: '#000000',
  highlight: '#0072B2',
  background: '#BBBBBB',
  baseline: '#EEEEEE',
} as const;

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';

/** Shared config: readable sizes, no box around views. */
export const CONFIG = {
  // One text description per chart (the spec's description) plus the table alternative, rather than
  // an ARIA label on every mark: hundreds of labels swamp a screen reader and triple the SVG size.
  // The top-level flag only stops the generated descriptions; marks and guides still carry ARIA
  // roles without names (which audits flag) unless each is switched off too.
  aria: false,
  font: FONT,
  view: { stroke: null },
  axis: { aria: false, labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', gridColor: '#E6E6E6' },
  header: { labelFontSize: 12, titleFontSize: 12 },
  legend: { aria: false, labelFontSize: 11, titleFontSize: 12, orient: 'bottom', direction: 'horizontal' },
  title: { fontSize: 14, anchor: 'start', subtitleFontSize: 12, subtitleColor: '#444444' },
  // Hidden cells are null: lines break there and no mark is drawn.
  mark: { aria: false, invalid: 'break-paths-filter-domains' },
};

/** The top of every spec: schema, title, text description (read out by screen readers) and config. */
export function base(title: string, description: string): Spec {
  return { $schema: SCHEMA, title, description, config: CONFIG };
}

/**
 * Month on the x axis. Periods are `YYYY-MM` strings, which Vega parses as UTC;
 * the UTC time unit keeps every reader's time zone out of it.
 */
export function monthX(title: string | null = null): Record<string, unknown> {
  return {
    field: 'period',
    type: 'temporal',
    timeUnit: 'utcyearmonth',
    title,
    axis: { format: '%b %Y', labelAngle: 0, labelOverlap: true, tickCount: 6 },
  };
}

/** A variable parameter bound to a `<select>` of the page (`bind: {element}`), so every chart of the page follows it. */
export function boundParam(name: string, value: string, elementId: string): Record<string, unknown> {
  return { name, value, bind: { element: `#${elementId}` } };
}

/** A Vega expression string literal. */
export function exprString(s: string): string {
  return JSON.stringify(s);
}
