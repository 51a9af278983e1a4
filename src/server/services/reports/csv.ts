/**
 * CSV as spreadsheets read it (RFC 4180): cells with quotes, commas or line breaks are quoted, quotes
 * doubled, rows end with CRLF. Text that a spreadsheet would run as a formula (starting with
 * = + - @, or a tab or carriage return that some strip first) gets a leading apostrophe, so a ticket
 * title cannot become a formula on an agent's machine (OWASP "CSV injection").
 */

export type CsvValue = string | number | Date | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  const text = value instanceof Date ? value.toISOString() : value;
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
