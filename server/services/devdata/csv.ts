/**
 * A streaming RFC 4180 CSV reader: yields records (in per-chunk batches) with the line each starts on, so
 * memory stays flat whatever the file size. Unquoted lines (the common case) take a fast path
 * through `split`; quoted fields may contain commas, doubled quotes and newlines.
 */
import type { Readable } from "node:stream";

export interface CsvRecord {
  /** 1-based physical line the record starts on (the header is line 1). */
  line: number;
  fields: string[];
}

/** Yields the records of each input chunk together: one await per chunk, not per row. */
export async function* readCsv(input: Readable | AsyncIterable<string | Buffer> | Iterable<string>): AsyncGenerator<CsvRecord[]> {
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  let line = 0;
  let first = true;
  // A quoted record that spans several physical lines is collected here until its quotes balance.
  let pending: string | null = null;
  let pendingLine = 0;

  const handle = (text: string): CsvRecord | null => {
    line++;
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (pending !== null) {
      pending += "\n" + text;
      if (!quotesBalanced(pending)) return null;
      const record = { line: pendingLine, fields: parseQuoted(pending) };
      pending = null;
      return record;
    }
    if (text.indexOf('"') === -1) return text === "" ? null : { line, fields: text.split(",") };
    if (!quotesBalanced(text)) {
      pending = text;
      pendingLine = line;
      return null;
    }
    return { line, fields: parseQuoted(text) };
  };

  for await (const chunk of input) {
    buffer += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    if (first && buffer.length > 0) {
      if (buffer.charCodeAt(0) === 0xfeff) buffer = buffer.slice(1);
      first = false;
    }
    const batch: CsvRecord[] = [];
    let start = 0;
    let nl: number;
    while ((nl = buffer.indexOf("\n", start)) !== -1) {
      const record = handle(buffer.slice(start, nl));
      start = nl + 1;
      if (record) batch.push(record);
    }
    buffer = buffer.slice(start);
    if (batch.length > 0) yield batch;
  }
  buffer += decoder.decode();
  const last: CsvRecord[] = [];
  if (buffer !== "") {
    const record = handle(buffer);
    if (record) last.push(record);
  }
  // An unterminated quote at end of file: the record runs to the end, as most CSV readers treat it.
  if (pending !== null) last.push({ line: pendingLine, fields: parseQuoted(pending + '"') });
  if (last.length > 0) yield last;
}

function quotesBalanced(text: string): boolean {
  let count = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) count++;
  return count % 2 === 0;
}

function parseQuoted(text: string): string[] {
  const fields: string[] = [];
  let field = "";
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += c;
    } else if (c === '"') inQuotes = true;
    else if (c === ",") {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields;
}
