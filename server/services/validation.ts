/**
 * zod builders that speak DRF's validation messages (spec/api.md "Errors"), plus the function
 * that turns a zod error into DRF's `{"field": ["message"]}` shape. The same schemas validate
 * REST bodies and tRPC inputs, so both transports reject the same input the same way.
 */
import { z } from "zod";
import { isValidTimeZone } from "../env";
import { fieldErrors, type AppError } from "./errors";

const REQUIRED = "This field is required.";
const NOT_NULL = "This field may not be null.";

/** Error callback for a field's base type: missing, null, or the wrong JSON type. */
const typeError = (wrongType: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? REQUIRED : issue.input === null ? NOT_NULL : wrongType;

interface StringOptions {
  max?: number;
  allowBlank?: boolean;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * DRF's CharField validators: Postgres cannot store NUL, and a lone surrogate is not Unicode
 * (it would be silently replaced on the way to the database).
 */
function storableText(value: string, ctx: z.RefinementCtx): void {
  if (value.includes("\u0000")) ctx.addIssue({ code: "custom", message: "Null characters are not allowed." });
  const surrogate = LONE_SURROGATE.exec(value);
  if (surrogate) {
    const point = surrogate[0].charCodeAt(0).toString(16).toUpperCase();
    ctx.addIssue({ code: "custom", message: `Surrogate characters are not allowed: U+${point}.` });
  }
}

/** A DRF CharField: trimmed, blank rejected unless allowed, max length checked. */
export function text({ max, allowBlank = false }: StringOptions = {}) {
  let schema = z.string({ error: typeError("Not a valid string.") }).trim();
  if (!allowBlank) schema = schema.min(1, { error: "This field may not be blank." });
  if (max !== undefined) schema = schema.max(max, { error: `Ensure this field has no more than ${max} characters.` });
  return schema.superRefine(storableText);
}

/** A DRF EmailField, lower-cased (addresses are compared case-insensitively). */
export function email() {
  return z
    .string({ error: typeError("Enter a valid email address.") })
    .trim()
    .min(1, { error: "This field may not be blank." })
    .max(254, { error: "Ensure this field has no more than 254 characters." })
    .pipe(z.email({ error: "Enter a valid email address." }))
    .transform((v) => v.toLowerCase());
}

/** Passwords are not trimmed; rules beyond length live in passwords.ts (they need the e-mail). */
export function password() {
  return z
    .string({ error: typeError("Not a valid string.") })
    .min(1, { error: "This field may not be blank." })
    .max(128, { error: "Ensure this field has no more than 128 characters." })
    .superRefine(storableText);
}

export function uuid() {
  return z.string({ error: typeError("Must be a valid UUID.") }).pipe(z.uuid({ error: "Must be a valid UUID." }));
}

export function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, {
    error: (issue) =>
      issue.input === undefined ? REQUIRED : issue.input === null ? NOT_NULL : `"${String(issue.input)}" is not a valid choice.`,
  });
}

export function timeZone() {
  return text({ max: 64 }).refine(isValidTimeZone, { error: "Enter a valid IANA time zone." });
}

export function bool() {
  return z.boolean({ error: typeError("Must be a valid boolean.") });
}

/** A JSON object body; anything else (array, string, null) is a non-field error. */
export function body<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape, {
    error: () => "Invalid data. Expected a dictionary.",
  });
}

/** DRF-shaped field errors from a zod error: one key per bad field, `non_field_errors` otherwise. */
export function toFieldErrors(error: z.ZodError): AppError {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? String(issue.path[0]) : "non_field_errors";
    (fields[key] ??= []).push(issue.message);
  }
  return fieldErrors(fields);
}

/** Parses or throws the DRF-shaped validation error. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw toFieldErrors(result.error);
  return result.data;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID_PATTERN.test(value);
