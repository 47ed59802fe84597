/** Run ids: they name a run in the manifest, the database and the marker of every output folder. */

/** A run id that sorts by time: `20261127T214000Z-1a2b`. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${Math.floor(Math.random() * 0xffff).toString(16).padStart(4, '0')}`;
}

/** Does `text` look like a run id (or a run id with a `-suffix`, e.g. `-failed`)? */
export function isRunId(text: unknown): text is string {
  return typeof text === 'string' && /^\d{8}T\d{6}Z-[0-9a-f]{4}(-[a-z]+)?$/.test(text);
}
