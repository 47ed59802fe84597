/**
 * zod's validation issues in the project's words, for every file a person writes and the
 * program validates (the config file, a metric's SQL header): each names the key, so that
 * a misspelt or missing key is found without reading a schema.
 */
import type { z } from 'zod';

/**
 * One message per issue: `unknown key "x"`, `key "x": <zod's message>`, or, when the written
 * keys are given (`written`, for a schema whose keys are required), `missing key "x"` (with
 * the rule's own message when a rule, not the type, asks for the key). Without `written`
 * every key may be left out (the config: a default stands in) and a rule about a key names it
 * as `key "x"`. `root` names an issue of the whole value (e.g. `(root)` when the config is not
 * a JSON object).
 */
export function issueMessages(error: z.ZodError, root: string, written?: Readonly<Record<string, unknown>>): string[] {
  return error.issues.map((iss) => {
    if (iss.code === 'unrecognized_keys') return `unknown key ${iss.keys.map((k) => `"${k}"`).join(', ')}`;
    const key = iss.path.join('.') || root;
    if (written && iss.path.length && written[key] === undefined)
      return iss.code === 'custom' ? `missing key "${key}" (${iss.message})` : `missing key "${key}"`;
    return `key "${key}": ${iss.message}`;
  });
}
