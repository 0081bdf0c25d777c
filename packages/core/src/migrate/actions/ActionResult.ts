/** What performing an action journals: nothing, why it was skipped, or what it found or made. */
export type ActionResult = undefined | { skipped: string } | Record<string, unknown>;
