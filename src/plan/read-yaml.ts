import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  Scalar,
  visit,
  YAMLParseError,
  type Alias,
  type CST,
  type Document,
  type Node,
  type ScalarTag,
  type YAMLError,
  type YAMLMap,
} from 'yaml';
import type { PlanIssue } from './plan-issue';

/** Deeper documents are refused before any recursive walk (the plan's own nesting is 8 levels at most). */
export const maxNestingDepth = 64;
/** Nodes a document may expand to through aliases: far above any real file, far below an alias bomb. */
export const maxExpandedNodes = 2_000_000;

/** What bootwave says of YAML problems wherever it reads YAML (plans, Compose files, manifests). */
export const yamlWords = {
  unknownAlias: 'an alias (*name) must name an anchor (&name) defined before it',
  mergeSource: 'a merge key (<<) takes a mapping, an alias of one (*name) or a list of them',
  tooDeep: `nested too deeply (more than ${maxNestingDepth} levels)`,
} as const;

export interface ReadYamlOptions {
  /** YAML 1.1 merge keys (`<<: *defaults`), which Compose files lean on. */
  merge?: boolean;
  /** Parse as JSON (a `.json` file): a trailing comma or a comment is an error, as JSON says. */
  json?: boolean;
  /** Tags the format gives a meaning to (Compose: `!reset`, `!override`); others are errors. */
  knownTags?: readonly string[];
  /**
   * How a known tag on a mapping value is kept: the key is renamed (Compose keeps `!reset` on the key so the merge
   * of several files can honour it). A known tag anywhere else is an error.
   */
  tagKey?: (key: string, tag: string) => string;
  /**
   * Integers as Go's YAML library reads them for Compose: a leading zero is octal (`0755` is 493), `0b101` binary,
   * `1_000` a thousand, and one beyond a double's precision exactly. YAML 1.2, which plans follow, reads `0755` as
   * decimal and the others as strings.
   */
  goIntegers?: boolean;
}

/** An integer written as `text`, in base `radix` once `_` are dropped; one too large for a double stays as written. */
function integer(text: string, radix: number, prefix = 0): number | string {
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.replace(/^[-+]/, '').slice(prefix).replace(/_/g, '');
  const value = sign * parseInt(digits, radix);
  return Number.isSafeInteger(value) ? value : text;
}

const intTag = 'tag:yaml.org,2002:int';
const intScalar = (test: RegExp, resolve: (text: string) => number | string): ScalarTag => ({
  identify: () => false,
  default: true,
  tag: intTag,
  test,
  resolve,
});

/**
 * Go's YAML integers (`goIntegers`), tried before the core schema's. A decimal one beyond a double's precision (an
 * account or snowflake ID in `environment`) is kept as written, not rounded: Compose passes it on exactly.
 */
const goIntegers = [
  intScalar(/^[-+]?0[0-7_]+$/, (text) => integer(text, 8)),
  intScalar(/^[-+]?0b[01_]+$/, (text) => integer(text, 2, 2)),
  intScalar(/^[-+]?[0-9][0-9_]*$/, (text) => integer(text, 10)),
];

type Read = { ok: true; doc: unknown } | { ok: false; errors: PlanIssue[] };

/**
 * Reads one YAML (or JSON) document into plain data, with every problem in bootwave's words and with line and
 * column: syntax errors, duplicate keys, several documents, unknown tags, nesting deeper than `maxNestingDepth`,
 * aliases expanding past `maxExpandedNodes`. Never throws and never prints (the YAML library's warnings are
 * returned as issues, not written to the process).
 */
export function readYaml(text: string, file: string, options: ReadYamlOptions = {}): Read {
  const at = (line: number, col: number, message: string): PlanIssue => ({ file, path: '', message, line, col });
  if (options.json) {
    const problem = jsonSyntaxProblem(text);
    if (problem) return { ok: false, errors: [at(problem.line, problem.col, problem.message)] };
  }
  const deep = flowDepthOver(text, maxNestingDepth);
  if (deep !== undefined) {
    const before = text.slice(0, deep);
    return {
      ok: false,
      errors: [at(before.split('\n').length, deep - before.lastIndexOf('\n'), yamlWords.tooDeep)],
    };
  }
  const lineCounter = new LineCounter();
  const parse = (reading: { uniqueKeys?: boolean; keepSourceTokens?: boolean; lineCounter?: LineCounter }) => {
    const parsed = parseAllDocuments(text, {
      merge: options.merge ?? false,
      // Checked apart (`withDuplicateKeys`): the library compares each key with every earlier one of its mapping.
      uniqueKeys: false,
      prettyErrors: false,
      strict: true,
      logLevel: 'silent',
      // First, or the core schema's integers would read them before.
      ...(options.goIntegers ? { customTags: (tags) => [...goIntegers, ...tags] } : {}),
      ...reading,
    });
    return Array.isArray(parsed) ? parsed : [];
  };
  let documents: Document.Parsed[];
  try {
    documents = parse({ lineCounter });
  } catch (error) {
    return { ok: false, errors: [at(1, 1, crashMessage(error))] };
  }
  const position = (offset: number) => lineCounter.linePos(offset);
  const issue = (error: YAMLError) => {
    const { line, col } = position(error.pos[0]);
    return at(line, col, yamlMessage(error, text));
  };
  /**
   * The document's errors with its duplicate keys, as the library's own check reports them. That check compares each
   * key with every earlier one of its mapping (quadratic: 30 s for a plan of 50,000 services), so it runs only where
   * a set per mapping (`duplicateKeyOffsets`) cannot stand in for it: beside other errors, where only it knows the
   * order, or a tag that failed to resolve and may have dropped entries.
   */
  const withDuplicateKeys = (document: Document.Parsed): YAMLError[] => {
    const tagFailed = document.errors.some((error) => error.code === 'TAG_RESOLVE_FAILED');
    if (!tagFailed && duplicateKeyOffsets(document).length === 0) return document.errors;
    if (document.errors.length === 0) {
      // Where the library reports a key depends on the source tokens before it: read again, keeping them.
      const offsets = duplicateKeyOffsets(parse({ keepSourceTokens: true })[0]!);
      if (offsets.every((offset) => offset !== undefined)) return offsets.map(duplicateKeyError);
    }
    return parse({ uniqueKeys: true })[0]!.errors;
  };
  if (documents.length > 1) {
    const second = documents[1]!.range[0];
    const { line, col } = position(second);
    return {
      ok: false,
      errors: [
        at(line, col, `a second YAML document starts here: the file must hold exactly one (remove the "---" line)`),
      ],
    };
  }
  const document = documents[0];
  if (!document) return { ok: true, doc: null };
  const overflow = document.errors.find((error) => /call stack/i.test(error.message));
  if (overflow) return { ok: false, errors: [{ ...issue(overflow), message: crashMessage(new RangeError()) }] };
  // Tags are judged below, on the tree, with the rest of the shape.
  const errors = [...withDuplicateKeys(document), ...document.warnings]
    .filter((error) => error.code !== 'TAG_RESOLVE_FAILED')
    .map(issue);
  if (errors.length > 0) return { ok: false, errors };
  const shape = measure(document, options.knownTags ?? []);
  if (shape.problem !== undefined) {
    const { line, col } = position(shape.offset);
    return { ok: false, errors: [at(line, col, shape.problem)] };
  }
  if (options.tagKey) {
    const misplaced = keepTagsOnKeys(document, options.knownTags ?? [], options.tagKey);
    if (misplaced) {
      const { line, col } = position(misplaced.offset);
      return {
        ok: false,
        errors: [
          at(line, col, `YAML tag ${misplaced.tag} belongs on a key's value (e.g. "ports: ${misplaced.tag} []")`),
        ],
      };
    }
  }
  resolveAliases(shape.targets);
  try {
    return { ok: true, doc: document.toJS({ maxAliasCount: -1 }) };
  } catch (error) {
    return { ok: false, errors: [at(1, 1, crashMessage(error))] };
  }
}

/**
 * The offset where `[`/`{` nesting first exceeds `limit` (outside quotes and comments), before the YAML library
 * recurses into it; undefined when it never does.
 */
function flowDepthOver(text: string, limit: number): number | undefined {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== '') {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = /[\s[{,:]/.test(text[i - 1] ?? ' ') ? ch : '';
    else if (ch === '#' && /\s/.test(text[i - 1] ?? ' ')) while (i < text.length && text[i] !== '\n') i++;
    else if (ch === '[' || ch === '{') {
      if (++depth > limit) return i;
    } else if (ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

function crashMessage(error: unknown): string {
  if (error instanceof RangeError) return yamlWords.tooDeep;
  return 'the file could not be read as YAML';
}

/** Tags that only restate the plain type of a value; any other (`!!binary`, `!!set`, `!secret`) is refused. */
const plainTags = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq', 'merge'].map((t) => `tag:yaml.org,2002:${t}`),
);

function tagName(tag: string): string {
  return tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
}

/** The YAML library's messages, said the way bootwave says things (without a position: the caller adds it). */
export function yamlMessage(error: YAMLError, text: string): string {
  const first = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  switch (error.code) {
    case 'DUPLICATE_KEY':
      return `duplicate key ${keyAt(text, error.pos[0])}: each key may appear once in a mapping`.replace('  ', ' ');
    case 'TAB_AS_INDENT':
      return 'tab used for indentation: YAML indents with spaces';
    case 'BAD_INDENT':
      return `bad indentation: ${lowerFirst(first)}`;
    case 'BAD_ALIAS':
      return `unknown alias: ${yamlWords.unknownAlias}`;
    case 'MULTIPLE_DOCS':
      return `a second YAML document starts here: the file must hold exactly one (remove the "---" line)`;
    default:
      return `invalid YAML: ${lowerFirst(first)}`;
  }
}

function keyAt(text: string, offset: number): string {
  const key = /^(?:"[^"\n]*"|'[^'\n]*'|[^:,{}[\]\n]+)/.exec(text.slice(offset))?.[0]?.trim();
  return key === undefined ? '' : key.startsWith('"') ? key : JSON.stringify(key.replace(/^'|'$/g, ''));
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** JSON's own syntax check (YAML accepts trailing commas and comments that JSON does not). */
function jsonSyntaxProblem(text: string): { line: number; col: number; message: string } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const raw = error instanceof Error ? error.message : '';
    const offset = Number(/at position (\d+)/.exec(raw)?.[1] ?? text.length);
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const col = offset - before.lastIndexOf('\n');
    const trailingComma = /,\s*$/.test(before) && /^\s*[}\]]/.test(text.slice(offset));
    const reason = trailingComma
      ? 'trailing comma (JSON allows none before "}" or "]")'
      : offset >= text.length
        ? 'the text ends before the JSON value does'
        : `unexpected ${JSON.stringify(text.charAt(offset))}`;
    return { line, col, message: `invalid JSON: ${reason}` };
  }
}

/**
 * Depth and size of the document as `toJS` would build it (aliases expanded), computed with an explicit stack so
 * that no input can exhaust the call stack; the first limit crossed is the problem, at its source offset. Without
 * one, the anchor each alias stands for.
 */
function measure(
  document: Document.Parsed,
  knownTags: readonly string[],
): { problem: string; offset: number } | { problem?: undefined; targets: ReadonlyMap<Alias, Node> } {
  const sizes = new Map<Node, number>();
  const anchors = new Map<string, Node>();
  /** What each alias measured so far stands for. */
  const targets = new Map<Alias, Node>();
  let expanded = 0;
  const stack: Array<{ node: unknown; depth: number; merge?: MergeFrame }> = [{ node: document.contents, depth: 1 }];
  const offsetOf = (node: unknown) => (node as { range?: [number] } | null)?.range?.[0] ?? 0;
  // A merge source that is not a mapping, found here with its position: the YAML library throws without one.
  const mapLike = (node: unknown) => isMap(node) || (isAlias(node) && isMap(targets.get(node)));
  const mergeable = (node: unknown, merge: MergeFrame): boolean => {
    if (isMap(node)) return true;
    if (isSeq(node)) return merge.level === 'value';
    if (!isAlias(node)) return false;
    const target = anchors.get(node.source);
    // An unknown alias is reported as such when it is measured.
    if (target === undefined || isMap(target)) return true;
    return merge.level === 'value' && isSeq(target) && target.items.every(mapLike);
  };
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const node = frame.node;
    if (frame.merge && !mergeable(node, frame.merge))
      return {
        problem: yamlWords.mergeSource,
        offset: offsetOf(node) || frame.merge.offset,
      };
    if (node === null || node === undefined) continue;
    if (frame.depth > maxNestingDepth) return { problem: yamlWords.tooDeep, offset: offsetOf(node) };
    const tag = (node as { tag?: string }).tag;
    if (tag !== undefined && !plainTags.has(tag) && !knownTags.includes(tag))
      return { problem: `YAML tag ${tagName(tag)} is not supported: write the plain value`, offset: offsetOf(node) };
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor !== undefined && (isMap(node) || isSeq(node) || isScalar(node))) anchors.set(anchor, node);
    if (isAlias(node)) {
      // The latest anchor of that name before the alias (document order): O(1), where Alias.resolve walks the tree.
      const target = anchors.get(node.source);
      if (target === undefined)
        return {
          problem: `unknown alias *${node.source}: ${yamlWords.unknownAlias}`,
          offset: offsetOf(node),
        };
      // A collection is measured once its children are: one not measured yet is an ancestor of its alias.
      if ((isMap(target) || isSeq(target)) && !sizes.has(target))
        return {
          problem: `alias *${node.source} is inside its own anchor &${node.source}: a value cannot contain itself`,
          offset: offsetOf(node),
        };
      targets.set(node, target);
      expanded += sizes.get(target) ?? 1;
    } else if (isScalar(node)) expanded += 1;
    else if (isMap(node) || isSeq(node)) {
      expanded += 1;
      const before = expanded;
      // The collection's own size is known once its children are measured: the mark pops after them.
      stack.push({ node: new SizeMark(node, before), depth: frame.depth });
      // Pushed last to first so that they are measured in document order: an alias follows its anchor.
      const mergeItems = frame.merge && isSeq(node) ? { level: 'item' as const, offset: offsetOf(node) } : undefined;
      for (const item of [...node.items].reverse()) {
        if (isPair(item)) {
          const merge = isMergeKey(item.key) ? { level: 'value' as const, offset: offsetOf(item.key) } : undefined;
          stack.push({ node: item.value, depth: frame.depth + 1, ...(merge ? { merge } : {}) });
          stack.push({ node: item.key, depth: frame.depth + 1 });
        } else stack.push({ node: item, depth: frame.depth + 1, ...(mergeItems ? { merge: mergeItems } : {}) });
      }
    } else if (node instanceof SizeMark) sizes.set(node.node, expanded - node.before + 1);
    if (expanded > maxExpandedNodes)
      return {
        problem: `aliases expand to more than ${maxExpandedNodes.toLocaleString('en-US')} values: refused as a resource exhaustion`,
        offset: offsetOf(node),
      };
  }
  return { targets };
}

/**
 * Where each key that repeats an earlier key of its mapping starts (`keyStarts`), in the order the YAML library reports
 * them: it checks a block mapping's key before reading its value, a flow mapping's after. One set of keys per mapping;
 * keys are equal as the library compares them: scalars of the same value (NaN equals nothing, and no merge key `<<`
 * another).
 */
function duplicateKeyOffsets(document: Document.Parsed): (number | undefined)[] {
  const offsets: (number | undefined)[] = [];
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const item = stack.pop();
    if (item instanceof KeyCheck) {
      const { key, seen, offset } = item;
      if (!isScalar(key) || Number.isNaN(key.value)) continue;
      if (seen.has(key.value)) offsets.push(offset);
      else seen.add(key.value);
    } else if (isMap(item)) {
      const seen = new Set<unknown>();
      const starts = keyStarts(item);
      // Pushed last to first, so that they pop in the library's order.
      for (let i = item.items.length - 1; i >= 0; i--) {
        const { key, value } = item.items[i]!;
        const check = new KeyCheck(key, seen, starts[i]);
        if (item.flow) stack.push(check, value, key);
        else stack.push(value, check, key);
      }
    } else if (isSeq(item)) for (let i = item.items.length - 1; i >= 0; i--) stack.push(item.items[i]);
    // The pairs of a `!!pairs` or `!!omap` list, each read as a mapping of its own.
    else if (isPair(item)) stack.push(item.value, item.key);
  }
  return offsets;
}

/**
 * Where the library reports each key of a mapping: where the key's own source tokens (indentation, a comment, an
 * anchor) start it, and when it has none (a key at column 0), where the entry before it ended, as the library counts
 * it. Undefined without source tokens (a mapping a tag made).
 */
function keyStarts(map: YAMLMap): (number | undefined)[] {
  const end = (tokens: readonly CST.SourceToken[]) => tokens.at(-1)!.offset + tokens.at(-1)!.source.length;
  // Only the first key, never a repeated one, can start where the mapping does.
  let previousEnd = map.range?.[0];
  return map.items.map(({ key, value, srcToken }) => {
    if (!srcToken || previousEnd === undefined) return undefined;
    const start = srcToken.start.length > 0 ? end(srcToken.start) : previousEnd;
    previousEnd = rangeOf(value)?.[2] ?? (srcToken.sep?.length ? end(srcToken.sep) : rangeOf(key)?.[2]);
    return start;
  });
}

const rangeOf = (node: unknown) => (node as { range?: [number, number, number] } | null)?.range;

/** A key to check against the earlier keys of its mapping, on the `duplicateKeyOffsets` stack. */
class KeyCheck {
  constructor(
    readonly key: unknown,
    readonly seen: Set<unknown>,
    readonly offset: number | undefined,
  ) {}
}

/** The library's own error for a duplicate key. */
function duplicateKeyError(offset: number): YAMLParseError {
  return new YAMLParseError([offset, offset + 1], 'DUPLICATE_KEY', 'Map keys must be unique');
}

/**
 * Gives each alias the anchor `measure` found for it (the latest of that name before it, as the library finds it), for
 * `toJS`: the library's `Alias.resolve` scans every alias and anchor before the alias, quadratic in aliases (a plan
 * whose every service merges `<<: *defaults`). Its own lookup stays for an anchor `toJS` has not converted yet (one a
 * tagged key lost, `keepTagsOnKeys`), where it sets the anchor's value up first.
 */
function resolveAliases(targets: ReadonlyMap<Alias, Node>): void {
  for (const [alias, target] of targets) {
    const scan = alias.resolve.bind(alias);
    alias.resolve = (doc, ctx) =>
      ctx?.anchors.has(target) ? (target as ReturnType<Alias['resolve']>) : scan(doc, ctx);
  }
}

/** Where a merge key's value is measured: the value itself (a mapping, an alias or a list) or an item of its list. */
interface MergeFrame {
  level: 'value' | 'item';
  /** The merge key's offset, for a value without a position of its own. */
  offset: number;
}

/** A `<<` key that the parser took as a merge key (only with the `merge` option). */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';
}

/** Renames each key whose value carries a known tag; the first known tag found elsewhere is returned. */
function keepTagsOnKeys(
  document: Document.Parsed,
  knownTags: readonly string[],
  tagKey: (key: string, tag: string) => string,
): { tag: string; offset: number } | undefined {
  let misplaced: { tag: string; offset: number } | undefined;
  const tagOf = (node: unknown) => {
    const tag = (node as { tag?: string } | null)?.tag;
    return tag !== undefined && knownTags.includes(tag) ? tag : undefined;
  };
  visit(document, {
    Pair(_, pair) {
      const tag = tagOf(pair.value);
      if (tag && isScalar(pair.key)) pair.key = new Scalar(tagKey(String(pair.key.value), tag));
    },
    Node(key, node) {
      const tag = tagOf(node);
      if (tag && key !== 'value') misplaced ??= { tag, offset: node.range?.[0] ?? 0 };
    },
  });
  return misplaced;
}

/** Marks where a collection's children end on the measuring stack. */
class SizeMark {
  constructor(
    readonly node: Node,
    readonly before: number,
  ) {}
}
