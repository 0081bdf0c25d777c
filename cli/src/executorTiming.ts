/** How long the core's executors hold a lock and how often they poll, as the CLI sets them. */

/**
 * The lease's duration (default 60 s); KUBECTL_HYPERPOD_LEASE_SECONDS shortens it (tests, the
 * sandbox): how long a dead process's lock stands in the way of a resume.
 */
export function leaseOptions(): { durationSeconds?: number } {
  const n = Number(process.env.KUBECTL_HYPERPOD_LEASE_SECONDS);
  return Number.isInteger(n) && n >= 3 ? { durationSeconds: n } : {};
}

/** Add-on status polling; KUBECTL_HYPERPOD_POLL_MS shortens it (tests, the sandbox). */
export function pollMs(): number {
  const n = Number(process.env.KUBECTL_HYPERPOD_POLL_MS);
  return Number.isFinite(n) && n > 0 ? n : 5_000;
}
