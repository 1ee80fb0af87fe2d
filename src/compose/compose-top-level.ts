import { externalOf, isMap, notBoolean, shown, type Doc, type Report } from './compose-values';

/** What each top-level declaration may say (Compose's schema); `x-` keys are the user's own. */
const declarationKeys = {
  volumes: ['name', 'driver', 'driver_opts', 'external', 'labels'],
  networks: [
    'name',
    'driver',
    'driver_opts',
    'ipam',
    'external',
    'internal',
    'enable_ipv4',
    'enable_ipv6',
    'attachable',
    'labels',
  ],
  secrets: ['name', 'file', 'environment', 'content', 'external', 'labels', 'driver', 'driver_opts', 'template_driver'],
  configs: ['name', 'file', 'environment', 'content', 'external', 'labels', 'template_driver'],
} as const;

/**
 * Checks the top-level `volumes`, `networks`, `secrets` and `configs` declarations: a misspelt key is an error, as in
 * Compose; a setting bootwave does not apply is a warning at its key, never dropped silently. What a declaration
 * means for a service (its source, an external network) is judged where the service uses it.
 */
export function checkDeclarations(compose: Doc, error: Report, warn: Report): void {
  for (const [kind, known] of Object.entries(declarationKeys)) {
    const section = compose[kind];
    if (section === undefined || section === null) continue;
    if (!isMap(section)) {
      error(kind, `must be a mapping, got ${shown(section)}`);
      continue;
    }
    for (const [name, declaration] of Object.entries(section)) {
      if (declaration === null) continue;
      if (!isMap(declaration)) {
        error(`${kind}.${name}`, `must be a mapping, got ${shown(declaration)}`);
        continue;
      }
      for (const key of Object.keys(declaration)) {
        const at = `${kind}.${name}.${key}`;
        if (key.startsWith('x-')) continue;
        if (!(known as readonly string[]).includes(key)) error(at, `unknown key (expected ${known.join(', ')})`);
        else if (key === 'external' && externalOf(declaration, name) === undefined)
          error(at, notBoolean(declaration.external));
        else if (kind === 'networks' && key === 'external' && externalOf(declaration, name)?.external)
          error(at, 'not supported by bootwave (networks are created per plan)');
        else {
          const ignored = ignoredSetting(kind, key, declaration);
          if (ignored) warn(at, `ignored: ${ignored}`);
        }
      }
    }
  }
}

/** Why bootwave leaves a known setting of a declaration unapplied; undefined when it applies it (or judges it later). */
function ignoredSetting(kind: string, key: string, declaration: Doc): string | undefined {
  if (kind === 'networks') {
    if (key === 'external') return undefined;
    return key === 'name' ? 'bootwave names each network after its plan' : 'plan networks are plain bridge networks';
  }
  if (kind === 'volumes') {
    if (key === 'external') return undefined;
    if (key === 'name')
      return externalOf(declaration, '')?.external ? undefined : 'bootwave names each volume after its plan';
    return 'plan volumes are plain local volumes';
  }
  // Secrets and configs: the source keys are judged where a service mounts them.
  if (['file', 'environment', 'content', 'external', 'name'].includes(key)) return undefined;
  return 'bootwave mounts the file as it is';
}
