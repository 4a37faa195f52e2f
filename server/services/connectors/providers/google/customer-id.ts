/**
 * Google Ads customer ids. Google's own screens show them as `123-456-7890`, and people paste
 * them that way; the API, Airbyte's source and our stored rows want the ten digits. The old
 * backend kept only the digits (and the raw value when it held none), so we do the same: every
 * entry point (callback, account picker, provision, disconnect) goes through `googleAdsCustomerId`
 * via the provider's `accountId`, and what is stored — and the warehouse prefix derived from it —
 * is always the digits-only form.
 */

/** The digits of `raw` (`123-456-7890` → `1234567890`); the trimmed value when it holds no digit. */
export function normalizeCustomerId(raw: string): string {
  const digits = raw.replace(/\D/g, "");
  return digits || raw.trim();
}

/** The normalised customer id, or null when it is not one (no digits, or longer than any id). */
export function googleAdsCustomerId(raw: string): string | null {
  const id = normalizeCustomerId(raw);
  return /^\d{1,20}$/.test(id) ? id : null;
}
