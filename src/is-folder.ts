import { statSync } from 'node:fs';

/** Whether a path is an existing folder (spawn reports a missing working directory as the command's ENOENT). */
export function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
