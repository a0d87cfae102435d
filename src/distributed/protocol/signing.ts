/**
 * The shared secret of a distributed run: with one set, the coordinator signs its announcement and
 * its jobs, agents sign their results, and each side refuses what is unsigned or wrongly signed.
 * Each signature covers where the value belongs (the run, the job), so a signed value cannot be
 * replayed under another key. Without a secret nothing is signed, and anyone who can write to the
 * queue can forge (see docs/distributed.md).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** JSON with the keys of every object sorted: the same bytes on both sides, whatever the order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([key, field]) => key !== 'signature' && field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonical(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function hmac(secret: string, context: string, value: unknown): string {
  return createHmac('sha256', secret).update(context).update('\n').update(canonical(value)).digest('hex');
}

/** The value with its signature for `context` (`run:<id>`, `job:<queue>:<jobId>`), or as it is without a secret. */
export function signed<T extends object>(
  value: T,
  secret: string | undefined,
  context: string,
): T & { signature?: string } {
  return secret ? { ...value, signature: hmac(secret, context, value) } : value;
}

/** What is wrong with a value's signature for `context`, if anything: `unsigned` or `wrongly signed`. */
export function signatureProblem(
  value: unknown,
  secret: string,
  context: string,
): 'unsigned' | 'wrongly signed' | undefined {
  const given = (value as { signature?: unknown } | null)?.signature;
  if (typeof given !== 'string') return 'unsigned';
  const expected = Buffer.from(hmac(secret, context, value), 'hex');
  const actual = Buffer.from(given, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? undefined : 'wrongly signed';
}
