/** Small helpers for loader and CLI tests: temporary folders with hand-written input files. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A fresh temporary folder, removed after the test file (tests/tmp.ts). */
export { tempDir } from '../tmp.js';

/** Write files given as { 'admissions.csv': 'text' } under dir. */
export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): string {
  for (const [name, content] of Object.entries(files)) {
    const p = join(dir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return dir;
}

export const ADM_HEADER = 'admission_id,patient_id,hospital_id,department_id,admit_ts,discharge_ts,admission_type,discharge_disposition';
export const TRT_HEADER = 'treatment_id,patient_id,hospital_id,department_id,start_ts,end_ts,setting,mode';

/** A CSV text from a header and rows (each row already comma-joined). */
export function csv(header: string, rows: string[]): string {
  return [header, ...rows].join('\n') + '\n';
}

/** A valid minimal input set with `n` good admissions and treatments. */
export function goodInput(n = 200): Record<string, string> {
  const adm: string[] = [];
  const trt: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = String(1 + (i % 28)).padStart(2, '0');
    adm.push(`a${i},p${i},H1,MED,2024-01-${d} 08:00,2024-01-${d} 18:00,acute,home`);
    trt.push(`t${i},p${i},H1,CARD,2024-02-${d} 09:00,,ambulatory,in_person`);
  }
  return { 'admissions.csv': csv(ADM_HEADER, adm), 'treatments.csv': csv(TRT_HEADER, trt) };
}
