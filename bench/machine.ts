/** What the numbers were measured on: commit, machine, versions. */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { duckdbVersion } from '../pipeline/core/db.js';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  duckdb: string;
}

export interface CommitInfo {
  /** Short hash of HEAD, or `unknown` outside a git checkout. */
  commit: string;
  /** Tracked files differ from HEAD (the numbers may not be those of the commit alone). */
  dirty: boolean;
}

/** Cores, CPU model, memory and runtime versions of this machine. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cores: list.length,
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    duckdb: duckdbVersion(),
  };
}

/** The one-minute load average: above the core count, other work shared the cores. */
export function load1(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

/** HEAD of the git checkout at `root`, and whether tracked files were changed. */
export function commitInfo(root: string): CommitInfo {
  const head = spawnSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8' });
  if (head.status !== 0) return { commit: 'unknown', dirty: false };
  const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' });
  return { commit: head.stdout.trim(), dirty: status.stdout.trim() !== '' };
}
