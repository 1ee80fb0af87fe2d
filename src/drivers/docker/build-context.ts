import dockerignore from '@balena/dockerignore';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The files of a build context that go to the engine, relative to the context: everything its `.dockerignore`
 * leaves in, as `docker build` sends it. The Dockerfile and `.dockerignore` always go (the engine reads them even
 * when the file excludes them). An excluded folder is not walked when no `!` pattern could bring a file back.
 */
export function buildContextFiles(context: string, dockerfile: string): string[] {
  let patterns = '';
  try {
    patterns = readFileSync(join(context, '.dockerignore'), 'utf8');
  } catch {
    // No .dockerignore: the whole folder goes.
  }
  const ignore = dockerignore({ ignorecase: false }).add(patterns);
  const reincludes = patterns.split('\n').some((line) => line.trim().startsWith('!'));
  const files: string[] = [];
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(context, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (reincludes || !ignore.ignores(path)) walk(path);
      } else if (!ignore.ignores(path)) files.push(path);
    }
  };
  walk('');
  for (const always of [dockerfile, '.dockerignore'])
    if (!files.includes(always) && existsSync(join(context, always))) files.push(always);
  return files;
}
