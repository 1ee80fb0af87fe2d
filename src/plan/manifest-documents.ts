import { parseAllDocuments } from 'yaml';

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
  parseAllDocuments(text, { logLevel: 'silent' }).forEach((doc, index) => {
    const source = `${label} (document ${index + 1})`;
    if (doc.errors.length > 0)
      return void problems.push(`${source}: invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
    const value: unknown = doc.toJS();
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
