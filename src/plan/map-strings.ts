/** A copy of a parsed document with every string value (not key) replaced by `fn(value, path)`. */
export function mapStrings(
  doc: unknown,
  fn: (value: string, path: PropertyKey[]) => string,
  onNode?: () => void,
): unknown {
  const walk = (node: unknown, path: PropertyKey[]): unknown => {
    onNode?.();
    if (typeof node === 'string') return fn(node, path);
    if (Array.isArray(node)) return node.map((item, index) => walk(item, [...path, index]));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(node)) out[key] = walk(value, [...path, key]);
      return out;
    }
    return node;
  };
  return walk(doc, []);
}
