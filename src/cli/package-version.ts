import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** bootwave's version, from its package.json: two folders above this file, in `src/cli/` and in `dist/cli/`. */
export function packageVersion(): string {
  const file = join(__dirname, '..', '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
