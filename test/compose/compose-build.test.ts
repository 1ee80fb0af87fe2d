import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importText } from '../support/compose-import';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bootwave-compose-build-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM busybox:1\n');
  writeFileSync(join(dir, 'app', 'Dockerfile.dev'), 'FROM busybox:1\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const load = (service: string, env: Record<string, string> = {}) =>
  importText(dir, `name: Shop_1\nservices:\n  Web:\n${service}`, env);

describe('Compose build', () => {
  test('a context folder: built and tagged <project>-<service> as Compose tags it', () => {
    const { service, errors } = load('    build: ./app\n');
    expect(errors).toEqual([]);
    expect(service('web')?.target).toMatchObject({ image: 'shop_1-web', build: { context: join(dir, 'app') } });
  });

  test('the long form: dockerfile, args (a bare key takes the environment, or is left out), target; image kept', () => {
    const { service, errors, warnings } = load(
      [
        '    image: registry.local/web:2',
        '    build:',
        '      context: app',
        '      dockerfile: Dockerfile.dev',
        '      args: [VERSION=1.2, FROM_ENV, UNSET]',
        '      target: runtime',
        '      cache_from: [web:cache]',
        '',
      ].join('\n'),
      { FROM_ENV: 'yes' },
    );
    expect(errors).toEqual([]);
    expect(service('web')?.target).toMatchObject({
      image: 'registry.local/web:2',
      build: {
        context: join(dir, 'app'),
        dockerfile: 'Dockerfile.dev',
        args: { VERSION: '1.2', FROM_ENV: 'yes' },
        target: 'runtime',
      },
    });
    expect(warnings).toEqual(['services.Web.build.cache_from: ignored: the image is built without it']);
  });

  test("an included project's build context is relative to its own folder", () => {
    mkdirSync(join(dir, 'shop', 'app'), { recursive: true });
    writeFileSync(join(dir, 'shop', 'app', 'Dockerfile'), 'FROM busybox:1\n');
    writeFileSync(join(dir, 'shop', 'compose.yaml'), 'services:\n  cart: { build: ./app }\n');
    const { service, errors } = importText(dir, 'include: [shop/compose.yaml]\nservices:\n  web: { build: app }\n');
    expect(errors).toEqual([]);
    expect(service('cart')?.target.build?.context).toBe(join(dir, 'shop', 'app'));
    expect(service('web')?.target.build?.context).toBe(join(dir, 'app'));
  });

  test('what would fail at the first build is refused before anything starts', () => {
    expect(load('    build: ./missing\n').errors).toEqual([
      `services.Web.build: build context ./missing is not a folder (looked in ${join(dir, 'missing')})`,
    ]);
    expect(load('    build: { context: app, dockerfile: Nope }\n').errors).toEqual([
      `services.Web.build.dockerfile: Nope not found in ${join(dir, 'app')}`,
    ]);
    expect(load('    build: https://github.com/example/app.git#main\n').errors).toEqual([
      'services.Web.build: remote build contexts are not supported by bootwave, got "https://github.com/example/app.git#main"',
    ]);
    // Every problem at once: a refused build key hides no missing context.
    expect(load('    build: { context: ./missing, ssh: [default] }\n').errors).toEqual([
      'services.Web.build.ssh: not supported by bootwave builds',
      `services.Web.build.context: build context ./missing is not a folder (looked in ${join(dir, 'missing')})`,
    ]);
    expect(load('    build: { context: app, ssh: [default], contxt: x }\n').errors).toEqual([
      'services.Web.build.ssh: not supported by bootwave builds',
      expect.stringMatching(
        /^services\.Web\.build\.contxt: unknown key \(expected context, dockerfile, args, target, /,
      ),
    ]);
  });

  test('a build argument that looks like a secret is a warning: it is recorded in the history', () => {
    const { warnings } = load('    build: { context: app, args: { NPM_TOKEN: abc } }\n');
    expect(warnings).toEqual([expect.stringMatching(/^services\.Web\.build\.args\.NPM_TOKEN: looks like a secret/)]);
  });
});
