/** `outcomes generate`: write the seeded synthetic canonical data set (fixtures/generate.ts). */
import { basename, join, resolve } from 'node:path';
import { GENERATE_DEFAULTS, GENERATE_FORMATS, GENERATE_LIMITS, GENERATE_PROFILES, generate } from '../../fixtures/generate.js';
import { claimOutput } from '../core/claim.js';
import { writeMarker } from '../core/marker.js';
import { newRunId } from '../core/run-id.js';
import { flag, int, oneOf, path } from './options.js';
import { defineCommand } from './types.js';

const D = GENERATE_DEFAULTS;

export const command = defineCommand({
  name: 'generate',
  summary: 'write a seeded synthetic canonical data set (patients, admissions, treatments)',
  options: {
    out: path({ arg: 'DIR', required: true, help: 'folder to write patients, admissions and treatments into: new, empty, or one outcomes wrote' }),
    patients: int({ min: 1, max: GENERATE_LIMITS.patients, fallback: D.patients, help: `number of patients (default ${D.patients})` }),
    years: int({ arg: 'Y', min: 1, max: GENERATE_LIMITS.years, fallback: D.years, help: `calendar years of data (default ${D.years})` }),
    'start-year': int({ arg: 'YYYY', min: GENERATE_LIMITS.minYear, max: GENERATE_LIMITS.maxYear, fallback: D.startYear, help: `first calendar year (default ${D.startYear})` }),
    seed: int({ arg: 'S', min: 0, fallback: D.seed, help: `random seed; the same seed gives byte-identical files (default ${D.seed})` }),
    format: oneOf(GENERATE_FORMATS, { fallback: D.format, help: `file format (default ${D.format})` }),
    dirty: flag({ help: 'add a few bad rows of each kind, for demos of the rejects file' }),
    profile: oneOf(GENERATE_PROFILES, {
      fallback: D.profile,
      help: `contacts per patient: light (2.5 treatments in 3 years) or region (8.5) (default ${D.profile})`,
    }),
  },
  async run(o, print) {
    const lock = claimOutput(o.out, 'generate');
    let result: Awaited<ReturnType<typeof generate>>;
    try {
      writeMarker(resolve(o.out), newRunId(), 'generate');
      result = await generate({
        outDir: resolve(o.out),
        patients: o.patients,
        years: o.years,
        seed: o.seed,
        startYear: o['start-year'],
        format: o.format,
        dirty: o.dirty,
        profile: o.profile,
      });
    } finally {
      lock.release();
    }
    const tables = ['patients', 'admissions', 'treatments'] as const;
    result.files.forEach((file, i) => {
      const table = tables[i]!;
      const bad = Object.values(result.bad[table]).reduce((a, b) => a + b, 0);
      print(`${join(o.out, basename(file))}: ${result.rows[table]} rows${o.dirty ? ` (${bad} bad)` : ''}`);
    });
  },
});
