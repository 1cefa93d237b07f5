// Plain-text table rendering for the CLIs: left-aligned columns sized to their widest cell.
// Kept dependency-free; numbers are right-aligned.

/** Renders rows (first row = header) as an aligned text table with a rule under the header. */
export function renderTable(rows: readonly (readonly (string | number)[])[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  const line = (row: readonly (string | number)[]) =>
    row
      .map((cell, column) =>
        typeof cell === 'number'
          ? String(cell).padStart(widths[column])
          : String(cell).padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd();
  const [header, ...body] = rows;
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(line)].join('\n');
}
