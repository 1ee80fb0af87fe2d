import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSecretEnv } from '../../src/secrets/resolve-secret-env';
import { createSecretResolver } from '../../src/secrets/secret-resolver';
import { planFromText } from '../support/plan-text';
import { secretForms } from '../support/raw-history';
import { plainSecretWarnings } from '../../src/secrets/plain-secret-warnings';

const dir = mkdtempSync(join(tmpdir(), 'bw-secrets-'));
writeFileSync(join(dir, 'password'), 'from-file\n');
writeFileSync(join(dir, 'api_token'), 'from-docker');

const resolver = createSecretResolver({
  env: { DB_PASSWORD: 'from-env' },
  dockerSecretsDir: dir,
  readKubernetesSecret: async ({ name, key, namespace }) =>
    name === 'db' && key === 'password' && namespace === 'default' ? Buffer.from('from-kube') : undefined,
});

describe('secret references', () => {
  it('resolves each kind of source on the worker; a file loses its one trailing newline', async () => {
    const values = await resolveSecretEnv(
      {
        A: { env: 'DB_PASSWORD' },
        B: { file: join(dir, 'password') },
        C: { kubernetes: { name: 'db', key: 'password' } },
        D: { docker: 'api_token' },
      },
      resolver,
    );
    expect(values).toEqual({ A: 'from-env', B: 'from-file', C: 'from-kube', D: 'from-docker' });
  });

  it.each([
    [
      { env: 'MISSING' },
      "environment variable X: secret from the worker's environment variable MISSING is unavailable: it is not set on this worker",
    ],
    [
      { file: '/nonexistent/x' },
      'environment variable X: secret from the file /nonexistent/x on the worker is unavailable: no such file',
    ],
    [{ docker: 'nope' }, 'environment variable X: secret from the Docker secret nope is unavailable: no such file'],
    [
      { kubernetes: { name: 'db', key: 'other', namespace: 'default' } },
      'environment variable X: secret from key other of the Kubernetes Secret default/db is unavailable: the Secret has no such key',
    ],
  ])('names the reference, never a value, when %j cannot be read', async (source, message) => {
    await expect(resolveSecretEnv({ X: source }, resolver)).rejects.toMatchObject({
      name: 'SecretUnavailableError',
      message,
    });
  });

  it('keeps references, not values, in the resolved plan; plain values stay in env', () => {
    const plan = planFromText(`
name: p
services:
  api:
    process:
      command: [api]
      env: { PLAIN: x, DB_PASSWORD: { secret: { env: DB_PASSWORD } }, KEY: { secret: { file: ./key } } }
  web:
    docker:
      image: nginx
      env: { TOKEN: { secret: { kubernetes: { name: db, key: token } } } }
      secrets: [{ source: { docker: api_token }, target: /run/secrets/api_token }]
`);
    const [api, web] = plan.services;
    expect(api?.target).toMatchObject({
      env: { PLAIN: 'x' },
      secretEnv: { DB_PASSWORD: { env: 'DB_PASSWORD' }, KEY: { file: '/plans/./key' } },
    });
    expect(web?.target).toMatchObject({
      env: {},
      secretEnv: { TOKEN: { kubernetes: { name: 'db', key: 'token' } } },
      secrets: [{ source: { docker: 'api_token' }, target: '/run/secrets/api_token' }],
    });
  });

  it('finds a value raw and base64-encoded at each alignment, and nothing else', () => {
    const secret = 'hunter2-is-my-password';
    expect(secretForms(Buffer.from(`{"x":"${secret}"}`), secret)).toEqual(['raw']);
    for (const prefix of ['', 'a', 'ab']) {
      const encoded = Buffer.from(`${prefix}${secret}!`).toString('base64');
      expect(secretForms(Buffer.from(`data:${encoded}`), secret)).toEqual([`base64 at alignment ${prefix.length}`]);
    }
    expect(secretForms(Buffer.from('hunter2-is-not-my-password'), secret)).toEqual([]);
  });
});

describe('warnings for plain values that look like secrets', () => {
  it('names each variable whose name looks like a secret and whose value is in the plan, never the value', () => {
    const plan = planFromText(`
name: p
services:
  api:
    process:
      command: [api]
      env: { DB_PASSWORD: hunter2, API_TOKEN: abc, LOG_LEVEL: info, CACHE_KEY_PREFIX: x, REF: { secret: { env: REF } }, EMPTY_SECRET: "", DB_PASSWORD_FILE: /run/secrets/db }
  web: { docker: { image: nginx, env: { AWS_SECRET_ACCESS_KEY: k, API_KEY: k } } }
`);
    const warnings = plainSecretWarnings(plan, 'plan.yaml');
    expect(warnings.map((w) => w.path)).toEqual([
      'services.api.process.env.DB_PASSWORD',
      'services.api.process.env.API_TOKEN',
      'services.web.docker.env.AWS_SECRET_ACCESS_KEY',
      'services.web.docker.env.API_KEY',
    ]);
    expect(warnings[0]?.message).toBe(
      "looks like a secret, and its value is recorded in the boot's history (readable in the Web UI); name where the worker reads it instead, e.g. { secret: { env: DB_PASSWORD } } (docs/security.md)",
    );
    expect(JSON.stringify(warnings)).not.toContain('hunter2');
  });
});
