/**
 * The EKS clientRequestToken of one action of one run: the same on every retry and resume of that
 * action (so EKS answers a repeated CreateAddon with the first one's result), different for every
 * other action. Tokens are at most 64 characters; a long run id would push the action id out of a
 * plain prefix, so a long token ends in a hash of the whole `<runId>-<actionId>`.
 */
const MAX = 64;

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36).padStart(7, '0');
}

export function clientRequestToken(runId: string, actionId: string): string {
  const full = `${runId}-${actionId}`;
  if (full.length <= MAX) return full;
  const hash = fnv1a(full);
  return `${full.slice(0, MAX - hash.length - 1)}-${hash}`;
}
