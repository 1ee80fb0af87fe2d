import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTemporalCli, TEMPORAL_CLI_VERSION } from '../../src/temporal/temporal-cli';

const scratch = () => mkdtempSync(join(tmpdir(), 'bootwave-cli-find-'));

function fakeBinary(dir: string, name = 'temporal'): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\nexit 0\n');
  chmodSync(path, 0o755);
  return path;
}

describe('findTemporalCli', () => {
  it('prefers BOOTWAVE_TEMPORAL_BIN', () => {
    const bin = fakeBinary(scratch());
    expect(findTemporalCli({ BOOTWAVE_TEMPORAL_BIN: bin, PATH: '' })).toEqual({
      kind: 'binary',
      path: bin,
      how: `BOOTWAVE_TEMPORAL_BIN=${bin}`,
    });
  });

  it('then a temporal on PATH', () => {
    const dir = scratch();
    const bin = fakeBinary(dir);
    expect(findTemporalCli({ PATH: dir })).toMatchObject({ kind: 'binary', path: bin });
  });

  it("passes over the checkout's scripts/bin/temporal, which runs this search itself", () => {
    const dir = scratch();
    const bin = fakeBinary(dir);
    const checkoutBin = join(__dirname, '..', '..', 'scripts', 'bin');
    expect(findTemporalCli({ PATH: `${checkoutBin}:${dir}` })).toMatchObject({ kind: 'binary', path: bin });
  });

  it('then the cached build', () => {
    const cache = scratch();
    const bin = fakeBinary(join(cache, `temporal-cli-${TEMPORAL_CLI_VERSION}`));
    expect(findTemporalCli({ PATH: '', BOOTWAVE_CACHE: cache })).toEqual({
      kind: 'binary',
      path: bin,
      how: `cached build (${bin})`,
    });
  });

  it('falls back to the SDK download when nothing else is there', () => {
    expect(findTemporalCli({ PATH: '', BOOTWAVE_CACHE: scratch() }).kind).toBe('sdk-download');
  });

  it('says what it tried and what to install when everything fails', () => {
    const cache = scratch();
    expect(() =>
      findTemporalCli({
        PATH: '',
        BOOTWAVE_CACHE: cache,
        BOOTWAVE_TEMPORAL_BIN: '/nope/temporal',
        BOOTWAVE_NO_SDK_DOWNLOAD: '1',
      }),
    ).toThrow(
      [
        'No Temporal server could be found or provisioned. Tried:',
        '  - BOOTWAVE_TEMPORAL_BIN=/nope/temporal: not an executable file',
        '  - temporal on PATH: not found',
        `  - cached build: ${join(cache, `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'temporal')} missing`,
        '  - build with Go: go not on PATH',
        'Set TEMPORAL_ADDRESS to a running server, put the `temporal` CLI on PATH (https://docs.temporal.io/cli),',
        `or install Go so bootwave can build it (go install github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}).`,
      ].join('\n'),
    );
  });
});
