/** Suppressed CSV reports for administrators (see docs/exports.md). */
export { writeExports, type ExportOptions } from './write.js';
export { safeFileNames } from './filenames.js';
export { parsePeriodOption, type PeriodRange } from './period.js';
export type { Locale } from './csv.js';
