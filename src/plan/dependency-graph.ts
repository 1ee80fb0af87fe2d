/** Service name → the names it depends on, in declaration order (Map keeps insertion order). */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;
