/**
 * Every column that holds vault ciphertext. Rotation re-encrypts exactly these; a branch that
 * adds an encrypted column adds it here (the AAD's table/column are these names, the row id is
 * `idColumn`).
 */
export const ENCRYPTED_COLUMNS: { table: string; idColumn: string; columns: string[] }[] = [
  { table: "platform_credentials", idColumn: "id", columns: ["access_token_enc", "refresh_token_enc"] },
  { table: "webhook_endpoints", idColumn: "id", columns: ["secret_enc"] },
];
