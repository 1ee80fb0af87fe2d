import { isMap, type Doc } from './compose-values';

/**
 * Compose's merge tags: in a file merged over another (`-f override.yml`, `extends`), `key: !reset ...` removes the
 * key inherited from the base and `key: !override value` replaces it whole instead of merging. The YAML reader
 * keeps the tag on the key (`ports\u0000!reset`) so that it survives to the merge; once every file is merged the
 * tagged keys are resolved (`!reset` removed, `!override` made plain).
 */
export const mergeTags = ['!reset', '!override'] as const;
export type MergeTag = (typeof mergeTags)[number];

const marker = '\u0000';

export function taggedKey(key: string, tag: string): string {
  return `${key}${marker}${tag}`;
}

export function splitTaggedKey(raw: string): { key: string; tag?: MergeTag } {
  const at = raw.indexOf(marker);
  if (at < 0) return { key: raw };
  return { key: raw.slice(0, at), tag: raw.slice(at + 1) as MergeTag };
}

/** Sets one key of an override onto the merged mapping, honouring its tag; `merge` combines untagged values. */
export function overrideKey(
  out: Doc,
  rawKey: string,
  value: unknown,
  merge: (current: unknown, value: unknown, key: string) => unknown,
): void {
  const { key, tag } = splitTaggedKey(rawKey);
  if (tag === '!reset') delete out[key];
  else if (tag === '!override') out[key] = value;
  else out[key] = out[key] === undefined ? value : merge(out[key], value, key);
}

/** The merged document without tags: `!reset` keys left in a base file are removed, `!override` keys are plain. */
export function resolveMergeTags(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(resolveMergeTags);
  if (!isMap(node)) return node;
  const out: Doc = {};
  for (const [raw, value] of Object.entries(node)) {
    const { key, tag } = splitTaggedKey(raw);
    if (tag === '!reset') continue;
    // A plain key written beside its tagged twin in one mapping is a duplicate key: the tagged one wins.
    if (tag === '!override' || !(key in out)) out[key] = resolveMergeTags(value);
  }
  return out;
}
