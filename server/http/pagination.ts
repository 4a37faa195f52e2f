/** DRF page-number query parameters and the paginated envelope with absolute next/previous links. */
import type { Page, PageRequest } from "../services/pagination";
import { notFound } from "../services/errors";

export function pageRequest(url: URL, defaults = { size: 100, max: 500 }): PageRequest {
  const rawPage = url.searchParams.get("page");
  let page = 1;
  if (rawPage !== null) {
    if (!/^\d{1,9}$/.test(rawPage) || Number(rawPage) < 1) throw notFound("Invalid page.");
    page = Number(rawPage);
  }
  const rawSize = url.searchParams.get("page_size");
  let pageSize = defaults.size;
  // DRF falls back to the default size for a size that is not a positive integer.
  if (rawSize !== null && /^\d{1,9}$/.test(rawSize) && Number(rawSize) > 0) pageSize = Math.min(Number(rawSize), defaults.max);
  return { page, pageSize };
}

function linkTo(url: URL, page: number): string {
  const next = new URL(url);
  if (page <= 1) next.searchParams.delete("page");
  else next.searchParams.set("page", String(page));
  return next.toString();
}

export function paginated<T>(url: URL, page: Page<T>) {
  const hasNext = page.page * page.pageSize < page.count;
  return {
    count: page.count,
    next: hasNext ? linkTo(url, page.page + 1) : null,
    previous: page.page > 1 ? linkTo(url, page.page - 1) : null,
    results: page.results,
  };
}
