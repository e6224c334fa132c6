/** The message of anything thrown. */

/**
 * An error's message, or the thrown value as text. Duck-typed rather than `instanceof Error`:
 * errors from another realm (node core under jest, a recipe loaded from the server) fail instanceof.
 */
export function messageOf(err: unknown): string {
  return typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);
}
