/**
 * Reads a Compose `.env` / `env_file`: `KEY=value` lines, `#` comments, optional `export `, single quotes literal,
 * double quotes with `\n` escapes, unquoted values trimmed with ` #` comments cut.
 */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, key, rest] = match as unknown as [string, string, string];
    out[key] = unquote(rest);
  }
  return out;
}

function unquote(value: string): string {
  if (value.startsWith("'")) {
    const end = value.indexOf("'", 1);
    return end > 0 ? value.slice(1, end) : value.slice(1);
  }
  if (value.startsWith('"')) {
    const end = value.lastIndexOf('"');
    const inner = end > 0 ? value.slice(1, end) : value.slice(1);
    return inner.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
  return value.replace(/\s+#.*$/, '').trim();
}
