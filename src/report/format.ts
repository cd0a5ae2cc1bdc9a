/** `$1,234` and `-$171`: whole dollars, the sign before the currency symbol. */
export const usd = (x: number): string => `${Math.round(x) < 0 ? '-' : ''}$${Math.abs(Math.round(x)).toLocaleString('en-US')}`;

/** A change in dollars with its sign always shown: `+$815`, `-$171`, `$0`. */
export const signedUsd = (x: number): string => (Math.round(x) > 0 ? `+${usd(x)}` : usd(x));

/** A percentage change with its sign, or `n/a` when there is nothing to compare with. */
export const signedPct = (x: number | null): string => (x === null ? 'n/a' : `${x > 0 ? '+' : ''}${x}%`);
