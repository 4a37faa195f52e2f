/**
 * Prepared statements for drizzle's queries on postgres.js.
 *
 * Drizzle runs every query it was not given a name for as an unnamed statement, and postgres.js
 * runs an unnamed statement with parameters in two round trips: Parse/Describe to learn the
 * parameter types, then Bind/Execute. A prepared statement is parsed once per connection and then
 * runs in one round trip; for a request that reads the caller and one list that is half its trips
 * to the database.
 *
 * The statements a connection keeps are bounded: a statement whose text depends on a list's length
 * (`in ($1, $2, …)`) is only prepared up to SHORT_LIST parameters, and a process prepares at most
 * MAX_PREPARED distinct texts — the hot ones, which every request runs, come first; later ones run
 * unnamed as before. When a migration changes a table under a prepared statement, postgres.js
 * prepares it again on its own.
 */
import type { Sql } from "postgres";

const MAX_PREPARED = 500;
const SHORT_LIST = 16;

type Budget = { texts: Set<string> };

function shouldPrepare(budget: Budget, text: string, params: readonly unknown[] | undefined): boolean {
  if ((params?.length ?? 0) > SHORT_LIST) return false;
  if (budget.texts.has(text)) return true;
  if (budget.texts.size >= MAX_PREPARED) return false;
  budget.texts.add(text);
  return true;
}

/** `client` with `unsafe` (drizzle's only way in) preparing its statements, in transactions too. */
export function preparingStatements<T extends Sql>(client: T, budget: Budget = { texts: new Set() }): T {
  // Built once per client (per transaction inside `begin`), not on every property read.
  const unsafe = (text: string, params?: unknown[], options?: Record<string, unknown>) =>
    client.unsafe(text, params as never, { ...options, prepare: shouldPrepare(budget, text, params) });
  const begin = (optionsOrFn: unknown, maybeFn?: unknown) => {
    const fn = (maybeFn ?? optionsOrFn) as (tx: Sql) => unknown;
    const inside = (tx: Sql) => fn(preparingStatements(tx, budget));
    return maybeFn === undefined ? client.begin(inside as never) : client.begin(optionsOrFn as string, inside as never);
  };
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "unsafe") return unsafe;
      if (property === "begin") return begin;
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}
