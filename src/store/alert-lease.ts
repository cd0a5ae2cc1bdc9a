/** How long a claimed-but-unsent alert blocks other runs: longer than any send with its retries takes. */
export const ALERT_CLAIM_LEASE_MS = 15 * 60_000;
