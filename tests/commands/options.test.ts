import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../pipeline/core/paths.js';
import { UsageError } from '../../pipeline/core/errors.js';
import { flag, int, list, oneOf, parseOptions, path, text } from '../../pipeline/commands/options.js';
import { main } from '../../pipeline/cli.js';

const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('one options module for every command', () => {
  const opts = {
    n: int({ help: 'n', min: 1, max: 100, fallback: 10 }),
    k: int({ help: 'k', min: 1 }),
    mode: oneOf(['a', 'b', 'c'] as const, { help: 'mode', fallback: 'a' }),
    lang: oneOf(['en', 'da'] as const, { help: 'lang' }),
    dir: path({ help: 'dir', required: true }),
    db: path({ help: 'db', fallback: 'x.duckdb' }),
    note: text({ help: 'note' }),
    only: list({ help: 'only' }),
    quiet: flag({ help: 'quiet' }),
  };

  it('gives typed values and the fallbacks', () => {
    expect(parseOptions(opts, { dir: 'in' })).toEqual({
      n: 10, k: undefined, mode: 'a', lang: undefined, dir: 'in', db: 'x.duckdb', note: undefined, only: undefined, quiet: false,
    });
    expect(parseOptions(opts, { dir: 'in', n: ' 42 ', k: '7', mode: 'c', lang: 'da', note: 'hi', only: ['x', 'y'], quiet: true })).toMatchObject({
      n: 42, k: 7, mode: 'c', lang: 'da', note: 'hi', only: ['x', 'y'], quiet: true,
    });
    expect(parseOptions(opts, { dir: 'in', only: 'x' }).only).toEqual(['x']);
  });

  it('accepts only whole numbers written in digits, within bounds', () => {
    for (const bad of ['1e3', '12.0', '0x10', '', 'ten', '0', '101', '-5', '9007199254740993']) {
      expect(refusal(() => parseOptions(opts, { dir: 'in', n: bad }))).toBe(`--n must be a whole number from 1 to 100, got "${bad}"`);
    }
    expect(refusal(() => parseOptions(opts, { dir: 'in', k: '0' }))).toBe('--k must be a whole number of at least 1, got "0"');
  });

  it('names the allowed words, the missing option and the empty path', () => {
    expect(refusal(() => parseOptions(opts, { dir: 'in', mode: 'd' }))).toBe('--mode must be a, b or c, got "d"');
    expect(refusal(() => parseOptions(opts, { dir: 'in', lang: 'fr' }))).toBe('--lang must be en or da, got "fr"');
    expect(refusal(() => parseOptions(opts, {}))).toBe('--dir is required');
    expect(refusal(() => parseOptions(opts, { dir: 'in', db: ' ' }))).toBe('--db is empty: give a path');
  });

  it('the command line refuses 1e3 patients and an unknown format with exit 2 naming the option', async () => {
    const err: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => (err.push(s), true)) as typeof process.stderr.write;
    try {
      expect(await main(['demo', '--patients', '1e3'], () => {})).toBe(2);
      expect(await main(['generate', '--out', 'never', '--seed', '1.5'], () => {})).toBe(2);
      expect(await main(['run', '--input', 'x', '--format', 'hl7', '--log-format', 'text'], () => {})).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(err.join('')).toContain('--patients must be a whole number from 1 to 100000000, got "1e3"');
    expect(err.join('')).toContain('--seed must be a whole number of at least 0, got "1.5"');
    expect(err.join('')).toContain('--format must be native, fhir, omop or synthea, got "hl7"');
  });

  it('no command reads its options by hand (casts, Number(), its own parser)', () => {
    const dir = join(projectRoot(), 'pipeline', 'commands');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.ts') && x !== 'options.ts')) {
      const src = readFileSync(join(dir, f), 'utf8');
      expect(src, f).not.toMatch(/opts\[|opts\.\w+ as |Number\(|parseInt|function \w*[oO]ption\(/);
    }
  });
});
