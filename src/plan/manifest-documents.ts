import { LineCounter, parseAllDocuments, visit } from 'yaml';
import { yamlMessage, yamlWords } from './read-yaml';

/** The files of a manifest folder that are read, as `kubectl apply -f dir/` reads them. */
export const manifestExtensions = ['.yaml', '.yml', '.json'];

/** One Kubernetes document as read from a manifest: its plain value and where it came from. */
export interface ManifestDocument {
  value: { apiVersion: string; kind: string; metadata: { name: string } } & Record<string, unknown>;
  /** "manifests/x.yaml (document 2)" or "inline manifest 1 (document 1)". */
  source: string;
}

/**
 * Reads a multi-document manifest text the way `kubectl apply` takes it (empty documents skipped) and names every
 * document that is not a Kubernetes object: invalid YAML, no apiVersion, kind or metadata.name. Pure, so the plan
 * loader checks inline manifests in the same pass as the rest of the plan.
 */
export function manifestDocuments(text: string, label: string): { docs: ManifestDocument[]; problems: string[] } {
  const docs: ManifestDocument[] = [];
  const problems: string[] = [];
  const lineCounter = new LineCounter();
  // Positions are the text's own (a file's lines, or an inline string's); the library's excerpt is not kept.
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `line ${line}, column ${col}`;
  };
  let parsed: ReturnType<typeof parseAllDocuments>;
  try {
    parsed = parseAllDocuments(text, { logLevel: 'silent', prettyErrors: false, lineCounter });
  } catch {
    return { docs, problems: [`${label}: invalid YAML: nested too deeply`] };
  }
  (Array.isArray(parsed) ? parsed : []).forEach((doc, index) => {
    const source = `${label} (document ${index + 1})`;
    const error = doc.errors[0];
    if (error) {
      const message = /call stack/i.test(error.message) ? 'nested too deeply' : yamlMessage(error, text);
      const reason = message.startsWith('invalid YAML') ? message : `invalid YAML: ${message}`;
      return void problems.push(`${source}: ${reason} (${at(error.pos[0])})`);
    }
    let value: unknown;
    try {
      value = doc.toJS();
    } catch (thrown) {
      const problem = unreadable(thrown, doc);
      return void problems.push(
        `${source}: ${problem.message}${problem.offset === undefined ? '' : ` (${at(problem.offset)})`}`,
      );
    }
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value))
      return void problems.push(`${source}: not a Kubernetes object`);
    const obj = value as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };
    const missing = [
      typeof obj.apiVersion !== 'string' || obj.apiVersion === '' ? 'apiVersion' : undefined,
      typeof obj.kind !== 'string' || obj.kind === '' ? 'kind' : undefined,
      typeof obj.metadata?.name !== 'string' || obj.metadata.name === '' ? 'metadata.name' : undefined,
    ].filter((field) => field !== undefined);
    if (missing.length > 0) return void problems.push(`${source}: missing ${missing.join(', ')}`);
    docs.push({ value: value as ManifestDocument['value'], source });
  });
  return { docs, problems };
}

/**
 * Why a document that parsed could not be built, in bootwave's words (the library throws its own), and where when
 * that is known: an unknown alias is the first alias of its name, as no anchor of that name comes before it.
 */
function unreadable(thrown: unknown, doc: Parameters<typeof visit>[0]): { message: string; offset?: number } {
  const message = thrown instanceof Error ? thrown.message : '';
  const alias = /^Unresolved alias[^:]*: (.*)$/.exec(message)?.[1];
  if (alias !== undefined) {
    let offset: number | undefined;
    visit(doc, {
      Alias(_, node) {
        if (node.source !== alias) return undefined;
        offset = node.range?.[0];
        return visit.BREAK;
      },
    });
    return {
      message: `invalid YAML: unknown alias *${alias}: ${yamlWords.unknownAlias}`,
      ...(offset === undefined ? {} : { offset }),
    };
  }
  if (/alias count/i.test(message)) return { message: 'invalid YAML: aliases expand to too many values' };
  if (/Merge sources/.test(message)) return { message: `invalid YAML: ${yamlWords.mergeSource}` };
  if (thrown instanceof RangeError) return { message: 'invalid YAML: nested too deeply' };
  return { message: 'invalid YAML: the document could not be read' };
}
