import { bundleWorkflowCode, type BundleOptions } from '@temporalio/worker';
import { sharedWorkflowModules } from './shared-workflow-modules';

/** What the bundler may say: warnings and errors only. */
export const quietLogger: NonNullable<BundleOptions['logger']> = {
  log: () => {},
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: (message: string) => process.stderr.write(`${message}\n`),
  error: (message: string) => process.stderr.write(`${message}\n`),
};

/**
 * bootwave's workflow code as one bundle, every module a workflow shares preloaded once, made lean for the
 * worker's memory (`leanWorkflowBundle`). `workflowsPath` defaults to `src/workflows` (tests bundle their own).
 */
export async function bundleBootWorkflows(
  options: Pick<BundleOptions, 'failureConverterPath'> & { workflowsPath?: string } = {},
): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: options.workflowsPath ?? require.resolve('../workflows'),
    preloadModules: sharedWorkflowModules,
    ...(options.failureConverterPath ? { failureConverterPath: options.failureConverterPath } : {}),
    logger: quietLogger,
  });
  return leanWorkflowBundle(code);
}

const inlineSourceMap = '//# sourceMappingURL=data:application/json;';

/**
 * The bundle a worker holds in both its threads, made smaller at no cost to what it does (an idle worker: 214–220 →
 * 168–174 MiB, BENCHMARKS.md):
 * - the inline source map keeps its mappings, which stack traces need, and drops `sourcesContent`, a copy of every
 *   bundled source that only the SDK's optional source lines in stack traces read;
 * - every character outside Latin-1 is written as a `\uXXXX` escape (surrogate pairs as two), which means the same
 *   in strings, regular expressions, identifiers and comments. One such character (zod's bundled locales have
 *   thousands) makes V8 keep the whole 1.8 MB script as a two-byte string, twice the memory. Columns after an
 *   escape on its line shift in the source map; lines do not.
 */
export function leanWorkflowBundle(bundle: string): string {
  const at = bundle.lastIndexOf(inlineSourceMap);
  const code = at < 0 ? bundle : bundle.slice(0, at);
  const escaped = code.replace(/(\\*)([^\x00-\xff])/g, (_, slashes: string, c: string) => {
    // `\→` escapes the character itself and means `→`; left before `\u2192`, its backslash would escape the escape.
    const kept = slashes.length % 2 === 1 ? slashes.slice(1) : slashes;
    return `${kept}\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  if (at < 0) return escaped;
  const comment = bundle.slice(at).trimEnd();
  const base64At = comment.indexOf('base64,');
  if (base64At < 0) return `${escaped}${comment}\n`;
  const base64 = comment.slice(base64At + 'base64,'.length);
  const map = JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as Record<string, unknown>;
  delete map.sourcesContent;
  const encoded = Buffer.from(JSON.stringify(map)).toString('base64');
  return `${escaped}${inlineSourceMap}charset=utf-8;base64,${encoded}\n`;
}
