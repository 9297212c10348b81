/**
 * A spreadsheet opens a CSV cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula
 * (CSV injection). OWASP's rule: prefix such a cell with a single quote, which keeps the text readable and inert.
 * Every CSV the server writes passes its text cells through this; codes and numbers need not.
 */
export function csvSafe(value: unknown): unknown {
  if (typeof value !== 'string' || value === '') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The same rule over every cell of a row (numbers and null pass unchanged). */
export function csvSafeRow<T extends Record<string, unknown> | unknown[]>(row: T): T {
  if (Array.isArray(row)) return row.map(csvSafe) as T;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, csvSafe(v)])) as T;
}
