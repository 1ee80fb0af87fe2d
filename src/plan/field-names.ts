/** The parts of a zod schema's definition this walker reads (zod 4 keeps them in `_zod.def`). */
interface SchemaNode {
  _zod: {
    def: {
      type: string;
      shape?: Record<string, SchemaNode>;
      innerType?: SchemaNode;
      options?: SchemaNode[];
      valueType?: SchemaNode;
      element?: SchemaNode;
    };
  };
}

/** Wrappers and unions resolved to the concrete schemas a value may match. */
function concrete(node: SchemaNode): SchemaNode[] {
  const def = node._zod.def;
  if (def.innerType) return concrete(def.innerType);
  if (def.type === 'union' && def.options) return def.options.flatMap(concrete);
  return [node];
}

function child(node: SchemaNode, segment: PropertyKey): SchemaNode[] {
  const def = node._zod.def;
  if (def.type === 'object' && typeof segment === 'string' && def.shape?.[segment]) return [def.shape[segment]];
  if (def.type === 'record' && def.valueType) return [def.valueType];
  if (def.type === 'array' && def.element) return [def.element];
  return [];
}

/**
 * The field names an object may have at `path` inside `schema`: what an unknown field there is most likely a typo
 * of. Under a union (the check kinds), the fields of every branch.
 */
export function fieldNamesAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  let nodes = concrete(schema as SchemaNode);
  for (const segment of path) nodes = nodes.flatMap((node) => child(node, segment)).flatMap(concrete);
  return [
    ...new Set(
      nodes.flatMap((node) => (node._zod.def.type === 'object' ? Object.keys(node._zod.def.shape ?? {}) : [])),
    ),
  ].filter((name) => name !== '$schema');
}
