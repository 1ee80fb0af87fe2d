import { decideConvergence, type Convergence, type Found } from '../../src/drivers/convergence';

const service = { specHash: 'h1', oneShot: false };
const oneShot = { specHash: 'h1', oneShot: true };

describe('decideConvergence', () => {
  it.each<[string, { specHash: string; oneShot: boolean }, Found, Convergence]>([
    ['nothing there', service, { kind: 'absent' }, { action: 'create', cause: 'nothing runs for this service' }],
    [
      'the same definition running',
      service,
      { kind: 'running', specHash: 'h1' },
      { action: 'reuse', cause: 'it runs with the same definition' },
    ],
    [
      'another definition running',
      service,
      { kind: 'running', specHash: 'h0' },
      { action: 'replace', cause: 'its definition changed (h0 → h1)' },
    ],
    [
      'another definition that exited',
      oneShot,
      { kind: 'exited', specHash: 'h0', exitCode: 0, inThisBoot: true },
      { action: 'replace', cause: 'its definition changed (h0 → h1)' },
    ],
    [
      'one created but never started',
      oneShot,
      { kind: 'created', specHash: 'h1' },
      { action: 'start-again', cause: 'it was created but never started' },
    ],
    [
      'a one-shot that completed in this boot',
      oneShot,
      { kind: 'exited', specHash: 'h1', exitCode: 0, inThisBoot: true },
      { action: 'keep-completed', cause: 'the one-shot already completed in this boot' },
    ],
    [
      'a one-shot that completed in an earlier boot',
      oneShot,
      { kind: 'exited', specHash: 'h1', exitCode: 0, inThisBoot: false },
      { action: 'start-again', cause: 'it exited with code 0' },
    ],
    [
      'a one-shot that failed in this boot',
      oneShot,
      { kind: 'exited', specHash: 'h1', exitCode: 3, inThisBoot: true },
      { action: 'start-again', cause: 'it exited with code 3' },
    ],
    [
      'a long-running service that exited with 0',
      service,
      { kind: 'exited', specHash: 'h1', exitCode: 0, inThisBoot: true },
      { action: 'start-again', cause: 'it exited with code 0' },
    ],
  ])('%s', (_case, wanted, found, decision) => {
    expect(decideConvergence(wanted, found)).toEqual(decision);
  });
});
