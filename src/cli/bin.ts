#!/usr/bin/env node
/**
 * The `bootwave` executable. It turns Node's compile cache on before the CLI loads, so every start after the
 * first skips compiling the CLI and its dependencies; then it runs the CLI.
 */
import { enableCompileCache } from 'node:module';

enableCompileCache?.();

// Loaded only now: a static import would be compiled before the cache is on.
import('./main.js')
  .then(({ main }) => main(process.argv))
  .catch((error: unknown) => {
    process.stderr.write(`bootwave: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
