/** `manifest.json`: what a run read, did and wrote, for operators and auditors. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Db, duckdbVersion } from '../core/db.js';
import type { FileReport } from '../ingest/load/native.js';
import type { TableValidation } from '../ingest/load/validate.js';
import { projectRoot } from '../core/paths.js';
import type { RunOptions } from './options.js';

export interface InputDescription extends FileReport {
  bytes: number;
  sha256: string;
  rows_rejected: number;
}

export interface Manifest {
  run_id: string;
  status: 'succeeded' | 'failed' | 'checked';
  reason?: string;
  started_at: string;
  ended_at: string;
  versions: { outcomes: string; duckdb: string; node: string };
  command: { input: string; format: string; out: string; db: string };
  config: unknown;
  cutoff?: string;
  inputs: InputDescription[];
  tables: TableValidation[];
  rejects_by_rule: { table_name: string; rule: string; kind: string; count: number }[];
  adapter_counts?: Record<string, number>;
  metrics_absent?: { id: string; reason: string }[];
  outputs?: Record<string, number>;
  stages: { stage: string; ms: number; rows?: number }[];
}

export interface ManifestInput {
  runId: string;
  startedAt: Date;
  options: RunOptions;
  status: Manifest['status'];
  reason?: string;
  cutoff?: string;
  inputs: InputDescription[];
  tables: TableValidation[];
  adapterCounts?: Record<string, number>;
  absent?: { id: string; reason: string }[];
  outputs?: Record<string, number>;
  stages: { stage: string; ms: number; rows?: number }[];
}

/** The package version, from package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** Assemble the manifest; reads reject counts by rule from the database. */
export async function buildManifest(db: Db, m: ManifestInput): Promise<Manifest> {
  const byRule = await db.all<{ table_name: string; rule: string; kind: string; count: number }>(
    `SELECT table_name, rule, kind, count(*) AS count FROM rejects GROUP BY ALL ORDER BY table_name, rule, kind`,
  );
  return {
    run_id: m.runId,
    status: m.status,
    ...(m.reason ? { reason: m.reason } : {}),
    started_at: m.startedAt.toISOString(),
    ended_at: new Date().toISOString(),
    versions: { outcomes: packageVersion(), duckdb: duckdbVersion(), node: process.version },
    command: { input: m.options.input, format: m.options.format, out: m.options.out, db: m.options.db },
    config: m.options.config,
    ...(m.cutoff ? { cutoff: m.cutoff } : {}),
    inputs: m.inputs,
    tables: m.tables,
    rejects_by_rule: byRule.map((r) => ({ ...r, count: Number(r.count) })),
    ...(m.adapterCounts ? { adapter_counts: m.adapterCounts } : {}),
    ...(m.absent ? { metrics_absent: m.absent } : {}),
    ...(m.outputs ? { outputs: m.outputs } : {}),
    stages: m.stages,
  };
}
