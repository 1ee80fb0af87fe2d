import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCompose } from '../../src/compose/import-compose';
import type { DockerTarget } from '../../src/plan/types';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bootwave-compose-secrets-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Compose secrets', () => {
  it('mounts a file secret at /run/secrets/<name>, and an environment secret as a reference to the worker environment', () => {
    const file = join(dir, 'compose.yaml');
    writeFileSync(
      file,
      `
secrets:
  db_password: { file: ./db_password.txt }
  api_token: { environment: API_TOKEN }
services:
  app:
    image: x:1
    secrets: [db_password, { source: api_token, target: token }]
`,
    );
    // The CLI's API_TOKEN is not read: the value would enter the plan and the boot's history.
    const result = importCompose(file, { env: { API_TOKEN: 'from-the-cli-env' } });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const target = result.plan.services[0]!.target as DockerTarget;
    expect(target.volumes).toEqual([`${join(dir, 'db_password.txt')}:/run/secrets/db_password:ro`]);
    expect(target.secrets).toEqual([{ source: { env: 'API_TOKEN' }, target: '/run/secrets/token' }]);
    expect(JSON.stringify(result.plan)).not.toContain('from-the-cli-env');
  });

  it('warns of a secret-like variable at the key the file has, with the Compose way to keep it out', () => {
    const file = join(dir, 'compose.yaml');
    writeFileSync(
      file,
      'services:\n  plausible_db:\n    image: x:1\n    environment:\n' +
        '      POSTGRES_PASSWORD: hunter2\n      MYSQL_PASSWORD_FILE: /run/secrets/mysql_password\n',
    );
    const result = importCompose(file, { env: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.warnings.map((w) => [w.path, w.message])).toEqual([
      [
        'services.plausible_db.environment.POSTGRES_PASSWORD',
        "looks like a secret, and its value is recorded in the boot's history (readable in the Web UI); declare it as a Compose secret instead (`secrets:` with `environment:` or `file:`; the container reads /run/secrets/<name>, e.g. through a *_FILE variable) (docs/security.md)",
      ],
    ]);
    expect(JSON.stringify(result.warnings)).not.toContain('hunter2');
  });

  it('refuses a secret that is neither a file nor an environment variable', () => {
    const file = join(dir, 'compose.yaml');
    writeFileSync(file, `secrets: { s: { external: true } }\nservices: { app: { image: x:1, secrets: [s] } }\n`);
    const result = importCompose(file, { env: {} });
    expect(result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'services.app.secrets[0]: "s" is not file-based: bootwave mounts secrets and configs from files (and secrets from an environment variable) only',
    ]);
  });
});
