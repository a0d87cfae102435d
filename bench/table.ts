/** Renders rows as a Markdown table, so the console output can be pasted into the docs as is. */

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  /** Lines printed under the table. */
  notes?: string[];
}

export function renderTable(table: Table): string {
  const widths = table.columns.map((column, i) =>
    Math.max(3, column.length, ...table.rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]): string => `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 3)).join(' | ')} |`;
  return [
    `### ${table.title}`,
    '',
    line(table.columns),
    line(widths.map((width) => '-'.repeat(width))),
    ...table.rows.map(line),
    ...(table.notes?.length ? ['', ...table.notes] : []),
    '',
  ].join('\n');
}
