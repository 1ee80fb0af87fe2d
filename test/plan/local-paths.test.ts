import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlan } from '../../src/plan/load-plan';
import { loadPlanText } from '../../src/plan/load-plan-text';
import { formatIssue } from '../../src/plan/plan-issue';

describe('working directories and executable paths of processes on this machine', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bootwave-local-paths-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function errorsOf(services: string): string[] {
    const file = join(dir, 'plan.yaml');
    writeFileSync(file, `name: p\nservices:\n${services}`);
    const result = loadPlan(file, { env: {} });
    return result.ok ? [] : result.errors.map(formatIssue).map((line) => line.replace(`${dir}/`, ''));
  }

  test('a missing or non-folder cwd, and a missing, folder or non-executable executable path, are errors', () => {
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'run.sh'), '#!/bin/sh\n');
    writeFileSync(join(dir, 'notes.txt'), '');
    expect(
      errorsOf(
        [
          '  a: { process: { command: [sleep, "1"], cwd: ./gone } }',
          '  b: { process: { command: [sleep, "1"], cwd: notes.txt } }',
          '  c: { process: { command: [./missing.sh] } }',
          '  d: { process: { command: [./run.sh], cwd: app } }',
          '  e: { process: { command: [/tmp] } }',
          '  f: { process: { command: [sleep, "1"] }, health: { check: { kind: exec, argv: ["true"], cwd: /nonexistent/checks } } }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      `plan.yaml: services.a.process.cwd: working directory ${dir}/gone does not exist`,
      `plan.yaml: services.b.process.cwd: working directory ${dir}/notes.txt is not a folder`,
      `plan.yaml: services.c.process.command[0]: executable ./missing.sh not found (looked at ${dir}/missing.sh)`,
      `plan.yaml: services.d.process.command[0]: ./run.sh is not executable (${dir}/app/run.sh lacks execute permission)`,
      'plan.yaml: services.e.process.command[0]: /tmp is a folder, not an executable (/tmp)',
      'plan.yaml: services.f.health.check.cwd: working directory /nonexistent/checks does not exist',
    ]);
  });

  test('what exists passes; a bare command is left to the worker PATH; a service on another host is not checked', () => {
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'run.sh'), '#!/bin/sh\n');
    chmodSync(join(dir, 'app', 'run.sh'), 0o755);
    expect(
      errorsOf(
        [
          '  a: { process: { command: [./run.sh], cwd: app } }',
          '  b: { process: { command: [no-such-command-here] } }',
          '',
        ].join('\n'),
      ),
    ).toEqual([]);
    expect(errorsOf('  c: { host: gpu, process: { command: [./elsewhere.sh], cwd: /srv/only-on-gpu } }\n')).toEqual([]);
  });

  test('a plan loaded from text alone (no file, as in workflows and tests) touches no files', () => {
    const result = loadPlanText('name: p\nservices:\n  a: { process: { command: [./x], cwd: /nonexistent } }\n', {
      file: 'plan.yaml',
      env: {},
    });
    expect(result.ok).toBe(true);
  });
});
