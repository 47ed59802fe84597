/** `outcomes check`: validate the input and report, change nothing. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPipeline } from '../compose/run.js';
import { inputOptions, runSetup } from './run.js';
import { defineCommand } from './types.js';

export const command = defineCommand({
  name: 'check',
  summary: 'validate the input and report what would be loaded and rejected; change nothing',
  options: { ...inputOptions },
  async run(o, print) {
    const { config, log } = runSetup(o);
    // A throw-away database: check never touches the real one or the outputs.
    const dir = mkdtempSync(join(tmpdir(), 'outcomes-check-'));
    try {
      const { manifest } = await runPipeline({
        input: o.input,
        format: o.format,
        out: join(dir, 'out'),
        db: ':memory:',
        config,
        log,
        checkOnly: true,
      });
      for (const t of manifest.tables) {
        print(`${t.table}: ${t.rows_read} rows read, ${t.rows_loaded} valid, ${t.rows_rejected} rejected (${(t.reject_share * 100).toFixed(2)}%)`);
      }
      for (const r of manifest.rejects_by_rule) print(`  ${r.table_name} ${r.kind} ${r.rule}: ${r.count}`);
      for (const f of manifest.inputs) {
        if (f.extra_columns.length) print(`  ${f.path}: columns ignored: ${f.extra_columns.join(', ')}`);
      }
      print('check passed: the input is within max_reject_share');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
