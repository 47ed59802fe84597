/**
 * The one way a command declares and parses its options. Each option knows its flag shape
 * (`--name VALUE`, repeatable, or a bare flag), its help line and how its text becomes a
 * typed value; `parseOptions` turns what `node:util` parseArgs read into those values and
 * names the option in every refusal (exit 2).
 */
import { UsageError } from '../core/errors.js';

/** What `node:util` parseArgs gives for one option. */
export type RawValue = string | string[] | boolean | undefined;

export interface Option<T> {
  type: 'string' | 'boolean';
  /** May be given more than once (`--metric a --metric b`). */
  multiple?: boolean;
  /** One line for --help. */
  help: string;
  /** Shown in --help as the value's name, e.g. DIR. */
  arg?: string;
  /** Must be given (listed as required in --help). */
  required?: boolean;
  /** The typed value, or a UsageError naming `--name`. */
  parse(raw: RawValue, name: string): T;
}

export type Options = Record<string, Option<unknown>>;
export type Values<O extends Options> = { [K in keyof O]: O[K] extends Option<infer T> ? T : never };

interface Common {
  help: string;
  arg?: string;
}

function textOf(raw: RawValue, name: string): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new UsageError(`--${name} takes one value`);
  return raw;
}

function required(name: string): never {
  throw new UsageError(`--${name} is required`);
}

/** `a`, `a or b`, `a, b or c`. */
function alternatives(values: readonly string[]): string {
  return values.length < 2 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

/** Free text; empty text counts as not given. */
export function text(o: Common & { required: true }): Option<string>;
export function text(o: Common & { fallback: string }): Option<string>;
export function text(o: Common): Option<string | undefined>;
export function text(o: Common & { required?: boolean; fallback?: string }): Option<string | undefined> {
  return {
    type: 'string',
    help: o.help,
    ...(o.arg ? { arg: o.arg } : {}),
    ...(o.required ? { required: true } : {}),
    parse(raw, name) {
      const v = textOf(raw, name);
      if (v === undefined || v === '') return o.required ? required(name) : o.fallback;
      return v;
    },
  };
}

/** A file or folder path as given (resolved by the command); empty is refused, not taken as the current folder. */
export function path(o: Common & { required: true }): Option<string>;
export function path(o: Common & { fallback: string }): Option<string>;
export function path(o: Common): Option<string | undefined>;
export function path(o: Common & { required?: boolean; fallback?: string }): Option<string | undefined> {
  return {
    type: 'string',
    help: o.help,
    arg: o.arg ?? 'PATH',
    ...(o.required ? { required: true } : {}),
    parse(raw, name) {
      const v = textOf(raw, name);
      if (v === undefined) return o.required ? required(name) : o.fallback;
      if (v.trim() === '') throw new UsageError(`--${name} is empty: give a path`);
      return v;
    },
  };
}

/** A whole number within bounds, written in digits (`1e3`, `12.0` and `0x10` are refused). */
export function int(o: Common & { min: number; max?: number; fallback: number }): Option<number>;
export function int(o: Common & { min: number; max?: number }): Option<number | undefined>;
export function int(o: Common & { min: number; max?: number; fallback?: number }): Option<number | undefined> {
  const max = o.max ?? Number.MAX_SAFE_INTEGER;
  const range = o.max === undefined ? `of at least ${o.min}` : `from ${o.min} to ${o.max}`;
  return {
    type: 'string',
    help: o.help,
    arg: o.arg ?? 'N',
    parse(raw, name) {
      const v = textOf(raw, name);
      if (v === undefined) return o.fallback;
      const t = v.trim();
      const n = /^[+-]?\d+$/.test(t) ? Number(t) : NaN;
      if (!Number.isSafeInteger(n) || n < o.min || n > max) throw new UsageError(`--${name} must be a whole number ${range}, got "${v}"`);
      return n;
    },
  };
}

/** One of a fixed list of words. */
export function oneOf<const V extends string>(values: readonly V[], o: Common & { fallback: V }): Option<V>;
export function oneOf<const V extends string>(values: readonly V[], o: Common): Option<V | undefined>;
export function oneOf<const V extends string>(values: readonly V[], o: Common & { fallback?: V }): Option<V | undefined> {
  return {
    type: 'string',
    help: o.help,
    arg: o.arg ?? values.join('|'),
    parse(raw, name) {
      const v = textOf(raw, name);
      if (v === undefined) return o.fallback;
      if (!(values as readonly string[]).includes(v)) throw new UsageError(`--${name} must be ${alternatives(values)}, got "${v}"`);
      return v as V;
    },
  };
}

/** A repeatable `--name VALUE`: the values in the order given, or undefined when absent. */
export function list(o: Common): Option<string[] | undefined> {
  return {
    type: 'string',
    multiple: true,
    help: o.help,
    ...(o.arg ? { arg: o.arg } : {}),
    parse(raw) {
      if (raw === undefined || typeof raw === 'boolean') return undefined;
      return Array.isArray(raw) ? raw : [raw];
    },
  };
}

/** A bare `--name`: true when given. */
export function flag(o: { help: string }): Option<boolean> {
  return { type: 'boolean', help: o.help, parse: (raw) => raw === true };
}

/** Every option's typed value; throws UsageError naming the first option that is wrong or missing. */
export function parseOptions<O extends Options>(options: O, raw: Record<string, RawValue>): Values<O> {
  const out: Record<string, unknown> = {};
  for (const [name, o] of Object.entries(options)) out[name] = o.parse(raw[name], name);
  return out as Values<O>;
}
