/**
 * The one rule for rewriting golden files, used by every golden test: only when
 * asked (`UPDATE_GOLDEN=1`) and never on a CI machine, whatever `CI` is set to
 * (`true`, `1`, `yes`, even empty): CI must compare, never accept.
 */
export function mayRewriteGolden(env: Record<string, string | undefined> = process.env): boolean {
  return env['UPDATE_GOLDEN'] === '1' && env['CI'] === undefined;
}
