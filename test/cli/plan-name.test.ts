import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planNameOf } from '../../src/cli/plan-name';
import { loadPlanOrCompose } from '../../src/compose/load-any';
import { captureIo } from './capture-io';

const dir = mkdtempSync(join(tmpdir(), 'plan-name-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('planNameOf: the plan a read-only command is about', () => {
  it('is the word itself when no such file exists', async () => {
    const io = captureIo();
    expect(await planNameOf('demo', io)).toBe('demo');
    expect(io.stderrText()).toBe('');
  });

  it("is a plan file's own name, even when the plan has a mistake elsewhere (its boot is still there to read)", async () => {
    const path = file(
      'broken.yaml',
      'name: shop\nservices:\n  api:\n    process: { command: [node] }\n    dependsOn: [nowhere]\n',
    );
    expect(loadPlanOrCompose(path).ok).toBe(false);
    const io = captureIo();
    expect(await planNameOf(path, io)).toBe('shop');
    expect(io.stderrText()).toBe('');
  });

  it("is a Compose file's derived project name, as the loader derives it", async () => {
    const path = file('compose.yaml', 'name: My_Shop\nservices:\n  web:\n    image: nginx\n');
    const loaded = loadPlanOrCompose(path);
    if (!loaded.ok) throw new Error('the Compose file should load');
    expect(await planNameOf(path, captureIo())).toBe(loaded.plan.name);
  });

  it('leaves a name that is not a plain plan name to the loader, which says what is wrong', async () => {
    const path = file('bad-name.yaml', 'name: Not A Name\nservices:\n  api:\n    process: { command: [node] }\n');
    const io = captureIo();
    expect(await planNameOf(path, io)).toBeUndefined();
    expect(io.stderrText()).toContain(`${path}: name:`);
  });

  it('leaves a file that does not parse to the loader, which says where', async () => {
    const path = file('syntax.yaml', 'name: shop\nservices: [\n');
    const io = captureIo();
    expect(await planNameOf(path, io)).toBeUndefined();
    expect(io.stderrText()).toContain(path);
  });
});
