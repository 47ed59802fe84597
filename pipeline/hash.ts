/** Size and SHA-256 of a file, streamed (input files can be gigabytes). */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';

export async function hashFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return { bytes: statSync(path).size, sha256: h.digest('hex') };
}
