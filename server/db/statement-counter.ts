/**
 * Counts the SQL statements a request runs (transaction plumbing excluded) so the request log
 * line can report them: the cheapest way to spot an N+1 in production, and what the contract
 * tests read to hold list endpoints to one or two statements.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "drizzle-orm";
import { log } from "../infra/log";

interface Counter {
  statements: number;
}

// One store per process: Next bundles instrumentation (which opens the database) and each route
// separately, so a module-level instance would not be shared between them.
const holder = globalThis as unknown as { __adinsightsStatementStore?: AsyncLocalStorage<Counter> };
const current = (holder.__adinsightsStatementStore ??= new AsyncLocalStorage<Counter>());

export function countStatements<T>(fn: () => Promise<T>): { counter: Counter; result: Promise<T> } {
  const counter: Counter = { statements: 0 };
  return { counter, result: current.run(counter, fn) };
}

const PLUMBING = /^\s*(begin|commit|rollback|savepoint|release|select set_config\()/i;

export const statementLogger: Logger = {
  logQuery(query) {
    const counter = current.getStore();
    if (counter && !PLUMBING.test(query)) counter.statements++;
    // SQL text only: parameters may hold secrets.
    log.debug("sql", { statement: query });
  },
};
