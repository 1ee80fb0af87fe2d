import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { captureIo } from './capture-io';

afterEach(() => {
  process.exitCode = undefined;
});

it.each(['--version', '-V'])('bootwave %s prints the version of package.json and exits 0', async (flag) => {
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const io = captureIo();
  await main(['node', 'bootwave', flag], io);
  expect(process.exitCode).toBe(0);
  expect(io.stdoutText()).toBe(version);
  expect(version).toMatch(/^\d+\.\d+\.\d+/);
});
