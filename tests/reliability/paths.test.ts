/**
 * Paths: nothing outside our own files is ever deleted or overwritten
 * (docs/operations.md, "What outcomes refuses, and why" → "Output folders").
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoverOutput } from '../../pipeline/core/atomic.js';
import { checkOutputFolder, checkPathsApart } from '../../pipeline/core/claim.js';
import { MARKER, readMarker, writeMarker } from '../../pipeline/core/marker.js';
import { goodInput, writeFiles } from '../load/helpers.js';
import { tempDir } from '../tmp.js';
import { outcomes, tree } from './helpers.js';

/** A small valid input in dir/in; returns dir. */
function setup(): { dir: string; input: string } {
  const dir = tempDir('outcomes-paths-');
  const input = writeFiles(join(dir, 'in'), goodInput(20));
  return { dir, input };
}

const marker = (dir: string) => JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as { run_id: string; command: string };

describe('--out may be missing, empty, or a folder outcomes wrote', () => {
  it('a regular file as --out: exit 2 naming it, the file untouched', () => {
    const { dir, input } = setup();
    writeFileSync(join(dir, 'F'), 'my notes\n');
    const r = outcomes(['run', '--input', input, '--out', join(dir, 'F'), '--db', join(dir, 'db.duckdb')]);
    expect(r.code).toBe(2);
    expect(r.last).toContain(`--out ${join(dir, 'F')} is a file, not a folder`);
    expect(readFileSync(join(dir, 'F'), 'utf8')).toBe('my notes\n');
  });

  it('a folder of files outcomes did not write: exit 2 naming it and a file in it; nothing deleted', () => {
    const { dir, input } = setup();
    writeFiles(join(dir, 'docs'), { 'thesis.docx': 'chapter 1', 'sub/notes.txt': 'n' });
    const before = tree(join(dir, 'docs'));
    const r = outcomes(['run', '--input', input, '--out', join(dir, 'docs'), '--db', join(dir, 'db.duckdb')]);
    expect(r.code).toBe(2);
    expect(r.last).toMatch(new RegExp(`--out ${join(dir, 'docs')} holds files that outcomes did not write \\(sub, thesis\\.docx\\) and has no \\.outcomes-output marker`));
    expect(tree(join(dir, 'docs'))).toEqual(before);
  });

  it('missing, then its own folder, then an empty folder: exit 0; every output folder carries the marker with the run id', () => {
    const { dir, input } = setup();
    const out = join(dir, 'out');
    const args = ['run', '--input', input, '--out', out, '--db', join(dir, 'db.duckdb')];
    expect(outcomes(args).code).toBe(0);
    const first = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { run_id: string };
    expect(marker(out)).toEqual({ run_id: first.run_id, command: 'run' });
    expect(marker(join(out, 'exports'))).toEqual({ run_id: first.run_id, command: 'run' });
    expect(marker(join(out, 'dashboards'))).toEqual({ run_id: first.run_id, command: 'run' });
    expect(outcomes(args).code).toBe(0);
    const second = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { run_id: string };
    expect(second.run_id).not.toBe(first.run_id);
    expect(marker(out).run_id).toBe(second.run_id);
    mkdirSync(join(dir, 'empty'));
    expect(outcomes(['run', '--input', input, '--out', join(dir, 'empty'), '--db', join(dir, 'db.duckdb')]).code).toBe(0);
    expect(existsSync(join(dir, 'empty', 'metrics.csv'))).toBe(true);
  }, 180_000);

  it('a marker that is not ours (no run id) does not make a folder ours', () => {
    const dir = tempDir('outcomes-paths-');
    writeFiles(join(dir, 'x'), { [MARKER]: '{"run_id": "mine", "command": "run"}', 'a.txt': 'a' });
    expect(() => checkOutputFolder(join(dir, 'x'))).toThrow(/holds files that outcomes did not write/);
  });

  it('a symbolic link as --out: exit 2 (the link would be replaced by a folder)', () => {
    const { dir, input } = setup();
    mkdirSync(join(dir, 'target'));
    symlinkSync(join(dir, 'target'), join(dir, 'link'));
    const r = outcomes(['run', '--input', input, '--out', join(dir, 'link'), '--db', join(dir, 'db.duckdb')]);
    expect(r.code).toBe(2);
    expect(r.last).toContain('is a symbolic link');
  });

  it('export, dashboards and generate refuse a folder of other files the same way, and accept their own', () => {
    const { dir, input } = setup();
    const db = join(dir, 'db.duckdb');
    expect(outcomes(['run', '--input', input, '--out', join(dir, 'out'), '--db', db]).code).toBe(0);
    writeFiles(join(dir, 'docs'), { 'README.txt': 'mine', 'index.html': '<h1>my site</h1>', 'admissions.csv': 'my,own\n' });
    const before = tree(join(dir, 'docs'));
    for (const args of [
      ['export', '--db', db, '--out', join(dir, 'docs')],
      ['dashboards', '--db', db, '--out', join(dir, 'docs')],
      ['generate', '--out', join(dir, 'docs'), '--patients', '5', '--years', '1'],
    ]) {
      const r = outcomes(args);
      expect([args[0], r.code]).toEqual([args[0], 2]);
      expect(r.last).toContain(`--out ${join(dir, 'docs')} holds files that outcomes did not write`);
    }
    expect(tree(join(dir, 'docs'))).toEqual(before);
    for (const [name, args] of [
      ['export', ['export', '--db', db, '--out', join(dir, 'rep')]],
      ['dashboards', ['dashboards', '--db', db, '--out', join(dir, 'dash')]],
      ['generate', ['generate', '--out', join(dir, 'gen'), '--patients', '5', '--years', '1']],
    ] as const) {
      expect([name, outcomes([...args]).code]).toEqual([name, 0]);
      expect([name, outcomes([...args]).code]).toEqual([name, 0]);
    }
    expect(marker(join(dir, 'rep')).command).toBe('export');
    expect(marker(join(dir, 'dash')).command).toBe('dashboards');
    expect(marker(join(dir, 'gen')).command).toBe('generate');
    // The folders a run writes may be rebuilt by the commands alone.
    expect(outcomes(['export', '--db', db, '--out', join(dir, 'out', 'exports')]).code).toBe(0);
    expect(outcomes(['dashboards', '--db', db, '--out', join(dir, 'out', 'dashboards')]).code).toBe(0);
  }, 180_000);
});

describe('--out keeps clear of --input and --db', () => {
  it('--out equal to, containing or inside --input: exit 2, the input untouched', () => {
    const { dir, input } = setup();
    const before = tree(input);
    const db = join(dir, 'db.duckdb');
    const same = outcomes(['run', '--input', input, '--out', input, '--db', db]);
    expect([same.code, same.last]).toEqual([2, expect.stringContaining(`--out ${input} is the --input folder`)]);
    const inside = outcomes(['run', '--input', input, '--out', join(input, 'out'), '--db', db]);
    expect([inside.code, inside.last]).toEqual([2, expect.stringContaining(`--out ${join(input, 'out')} lies inside --input ${input}`)]);
    const containing = outcomes(['run', '--input', input, '--out', dir, '--db', join(dir, '..', 'never.duckdb')]);
    expect([containing.code, containing.last]).toEqual([2, expect.stringContaining(`--out ${dir} contains --input ${input}`)]);
    expect(tree(input)).toEqual(before);
  });

  it('the same folder reached through a symbolic link is still the same folder', () => {
    const { dir, input } = setup();
    symlinkSync(input, join(dir, 'alias'));
    expect(() => checkPathsApart({ out: join(dir, 'alias'), input })).toThrow(/is the --input folder/);
    expect(() => checkPathsApart({ out: join(dir, 'alias', 'new'), input })).toThrow(/lies inside --input/);
  });

  it('--db inside --out: exit 2 for run, export and dashboards; the database untouched', () => {
    const { dir, input } = setup();
    const out = join(dir, 'out');
    const r = outcomes(['run', '--input', input, '--out', out, '--db', join(out, 'db.duckdb')]);
    expect([r.code, r.last]).toEqual([2, expect.stringContaining(`--db ${join(out, 'db.duckdb')} lies inside --out ${out}`)]);
    expect(existsSync(out)).toBe(false);
    const db = join(dir, 'db.duckdb');
    expect(outcomes(['run', '--input', input, '--out', out, '--db', db]).code).toBe(0);
    for (const cmd of ['export', 'dashboards']) {
      const x = outcomes([cmd, '--db', db, '--out', dir]);
      expect([cmd, x.code, x.last]).toEqual([cmd, 2, expect.stringContaining(`--db ${db} lies inside --out ${dir}`)]);
    }
    expect(existsSync(db)).toBe(true);
  }, 180_000);
});

describe('staging and clean-up touch only folders of ours', () => {
  it("folders beside --out named out.old-* and out.tmp-* that are not ours are neither deleted nor renamed", () => {
    const { dir, input } = setup();
    const out = join(dir, 'out');
    writeFiles(join(dir, 'out.old-mine'), { 'keep.txt': 'a' });
    writeFiles(join(dir, 'out.tmp-mine'), { 'keep.txt': 'b' });
    // A copy of a real output folder, named like an old one: its marker's run id is not in its name.
    writeFiles(join(dir, 'out.old-backup'), { 'keep.txt': 'c' });
    writeMarker(join(dir, 'out.old-backup'), '20250101T000000Z-abcd', 'run');
    const before = { old: tree(join(dir, 'out.old-mine')), tmp: tree(join(dir, 'out.tmp-mine')), backup: tree(join(dir, 'out.old-backup')) };
    const args = ['run', '--input', input, '--out', out, '--db', join(dir, 'db.duckdb')];
    expect(outcomes(args).code).toBe(0); // --out missing: no old folder is renamed into its place
    expect(existsSync(join(out, 'keep.txt'))).toBe(false);
    expect(outcomes(args).code).toBe(0); // --out present: stale-looking folders are not removed
    expect({ old: tree(join(dir, 'out.old-mine')), tmp: tree(join(dir, 'out.tmp-mine')), backup: tree(join(dir, 'out.old-backup')) }).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.startsWith('out.')).sort()).toEqual(['out.old-backup', 'out.old-mine', 'out.tmp-mine']);
  }, 180_000);

  it('a run killed between its two renames is still recovered: our old folder goes back in place, ours only', () => {
    const dir = tempDir('outcomes-paths-');
    const out = join(dir, 'out');
    writeFiles(join(dir, 'out.old-20250101T000000Z-abcd'), { 'metrics.csv': 'ours' });
    writeMarker(join(dir, 'out.old-20250101T000000Z-abcd'), '20250101T000000Z-abcd', 'run');
    writeFiles(join(dir, 'out.tmp-20250102T000000Z-0001'), { 'half.csv': 'ours, half written' });
    writeMarker(join(dir, 'out.tmp-20250102T000000Z-0001'), '20250102T000000Z-0001', 'run');
    writeFiles(join(dir, 'out.old-zzz'), { 'keep.txt': 'not ours' });
    recoverOutput(out);
    expect(readFileSync(join(out, 'metrics.csv'), 'utf8')).toBe('ours');
    expect(readMarker(out)?.run_id).toBe('20250101T000000Z-abcd');
    expect(readdirSync(dir).sort()).toEqual(['out', 'out.old-zzz']);
  });
});

describe('one writer per --out', () => {
  it('a second run writing the same --out with another database exits 2 naming the holder', () => {
    const { dir, input } = setup();
    const out = join(dir, 'out');
    // The first run holds the output lock (this live process stands in for it).
    writeFileSync(`${out}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), started_at: '2026-01-01T00:00:00Z', command: 'run' }));
    const r = outcomes(['run', '--input', input, '--out', out, '--db', join(dir, 'other.duckdb')]);
    expect(r.code).toBe(2);
    expect(r.last).toContain(`--out ${out} is in use: another run holds the lock ${out}.lock: process ${process.pid} on ${hostname()}, started 2026-01-01T00:00:00Z (run)`);
    expect(existsSync(out)).toBe(false);
    for (const args of [
      ['export', '--db', join(dir, 'other.duckdb'), '--out', out],
      ['dashboards', '--db', join(dir, 'other.duckdb'), '--out', out],
      ['generate', '--out', out, '--patients', '5'],
    ]) {
      expect([args[0], outcomes(args).last]).toEqual([args[0], expect.stringContaining(`process ${process.pid} on ${hostname()}`)]);
    }
  });
});
