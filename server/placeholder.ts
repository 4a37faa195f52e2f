/**
 * The spec's placeholder spellings (spec/integrations.md "Environment"): a value that is one of
 * them counts as unset. Its own file with no imports, so env.ts and the checks env.ts runs
 * (server/infra/kms/key-id.ts) share it without an import cycle.
 */
const PLACEHOLDER = /^(changeme|change-me|replace-me)$|^replace_|placeholder|^<.*>$/i;

/** True when a value is empty or one of the placeholder spellings the spec lists. */
export function isPlaceholder(value: string | undefined | null): boolean {
  if (value === undefined || value === null) return true;
  const v = value.trim();
  return v === "" || PLACEHOLDER.test(v);
}
