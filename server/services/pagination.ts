/** DRF page-number pagination, shared by every list. */
import { notFound } from "./errors";

export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface Page<T> {
  count: number;
  page: number;
  pageSize: number;
  results: T[];
}

export const offsetOf = (p: PageRequest) => (p.page - 1) * p.pageSize;

/** Builds the page, or DRF's 404 "Invalid page." when it lies past the end. */
export function toPage<T>(request: PageRequest, count: number, results: T[]): Page<T> {
  if (request.page > 1 && results.length === 0) throw notFound("Invalid page.");
  return { count, page: request.page, pageSize: request.pageSize, results };
}

/**
 * Rows that carry `count(*) over ()` as `total`: the count rides along with the page, so a
 * list is a single statement.
 */
export function fromWindowed<T extends { total: number | string }>(request: PageRequest, rows: T[]): Page<Omit<T, "total">> {
  const count = rows.length > 0 ? Number(rows[0]!.total) : 0;
  return toPage(
    request,
    count,
    rows.map(({ total: _t, ...rest }) => rest),
  );
}
