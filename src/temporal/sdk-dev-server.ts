import type { bootSearchAttributes } from '../contract/search-attributes';
import { TemporalUnavailableError } from './temporal-cli';

/** What the SDK's download is started with: the same settings bootwave gives a binary it runs itself. */
export interface SdkDevServerOptions {
  port: number;
  uiPort: number;
  dbFile: string;
  searchAttributes: typeof bootSearchAttributes;
  extraArgs: string[];
  /** One line per provisioning attempt that failed before this last resort, for the error when it fails too. */
  tried: string[];
}

const testingPackage = '@temporalio/testing';

/**
 * The last resort: the dev server the Temporal SDK downloads. `@temporalio/testing` is an optional peer
 * dependency, loaded only here, so an installed bootwave neither needs it nor loads it unless this path is taken.
 */
export async function startSdkDevServer(
  options: SdkDevServerOptions,
): Promise<{ address: string; uiUrl: string; stop(): Promise<void> }> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing').catch((error: unknown) => {
    if (!isMissing(error)) throw error;
    throw new TemporalUnavailableError([
      ...options.tried,
      `the Temporal SDK's download: needs the optional package ${testingPackage}, which is not installed ` +
        `(npm install ${testingPackage}@^1.24)`,
    ]);
  });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ip: '127.0.0.1',
      port: options.port,
      ui: true,
      uiPort: options.uiPort,
      dbFilename: options.dbFile,
      searchAttributes: options.searchAttributes,
      extraArgs: options.extraArgs,
    },
  }).catch((error: unknown) => {
    // The last resort failed too (e.g. no internet): say everything that was tried.
    throw new TemporalUnavailableError([
      ...options.tried,
      `the Temporal SDK's download: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  });
  return { address: env.address, uiUrl: `http://127.0.0.1:${options.uiPort}`, stop: () => env.teardown() };
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    error instanceof Error &&
    error.message.includes(testingPackage)
  );
}
