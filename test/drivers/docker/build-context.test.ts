import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildContextFiles } from '../../../src/drivers/docker/build-context';

describe('buildContextFiles', () => {
  let context: string;
  beforeEach(() => (context = mkdtempSync(join(tmpdir(), 'bootwave-context-'))));
  afterEach(() => rmSync(context, { recursive: true, force: true }));
  const files = (...paths: string[]) =>
    paths.forEach((path) => {
      mkdirSync(dirname(join(context, path)), { recursive: true });
      writeFileSync(join(context, path), '');
    });

  test('sends what .dockerignore leaves in, always the Dockerfile and .dockerignore', () => {
    files('Dockerfile', 'src/a.ts', 'src/deep/b.ts', 'src/a.test.ts', 'node_modules/x/a.js', 'docs/r.md', 'README.md');
    writeFileSync(
      join(context, '.dockerignore'),
      'node_modules\n**/*.test.ts\ndocs\n*.md\nDockerfile\n.dockerignore\n',
    );
    expect(buildContextFiles(context, 'Dockerfile').sort()).toEqual([
      '.dockerignore',
      'Dockerfile',
      'src/a.ts',
      'src/deep/b.ts',
    ]);
  });

  test('a ! pattern brings a file back from an excluded folder', () => {
    files('Dockerfile', 'docs/keep.md', 'docs/drop.md');
    writeFileSync(join(context, '.dockerignore'), 'docs\n!docs/keep.md\n');
    expect(buildContextFiles(context, 'Dockerfile').sort()).toEqual(['.dockerignore', 'Dockerfile', 'docs/keep.md']);
  });

  test('without a .dockerignore the whole folder goes', () => {
    files('build/Dockerfile.dev', 'app/main.go');
    expect(buildContextFiles(context, 'build/Dockerfile.dev').sort()).toEqual(['app/main.go', 'build/Dockerfile.dev']);
  });
});
