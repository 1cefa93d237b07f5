// Plain-text table rendering for the CLIs: left-aligned columns sized to their widest cell.
// Kept dependency-free; numbers are right-aligned.

/** Renders rows (first row = header) as an aligned text table with a rule under the header; no rows: ''. */
export function renderTable(rows: readonly (readonly (string | number)[])[]): string {
  const [header, ...body] = rows;
  if (header === undefined) return '';
  const widths = header.map((_, column) => Math.max(...rows.map((row) => String(row[column]).length)));
  // Cells past the header's columns get no padding.
  const line = (row: readonly (string | number)[]) =>
    row
      .map((cell, column) =>
        typeof cell === 'number'
          ? String(cell).padStart(widths[column] ?? 0)
          : String(cell).padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(line)].join('\n');
}
