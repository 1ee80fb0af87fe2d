import { formatSize, parseSize } from '../../src/plan/size';

describe('parseSize', () => {
  test.each([
    ['512MiB', 512 * 1024 ** 2],
    ['1GiB', 1024 ** 3],
    ['1.5GB', 1.5e9],
    ['256MB', 256e6],
    ['512Mi', 512 * 1024 ** 2],
    ['4096', 4096],
    ['100 KiB', 102_400],
    [2048, 2048],
  ] as const)('%p is %p bytes', (text, expected) => {
    expect(parseSize(text)).toBe(expected);
  });

  test.each(['', 'lots', '1XB', '-1GiB', 'GiB', 1.5, -1])('%p is not a size', (text) => {
    expect(parseSize(text)).toBeUndefined();
  });
});

describe('formatSize', () => {
  test.each([
    [100, '100 B'],
    [2048, '2 KiB'],
    [512 * 1024 ** 2, '512 MiB'],
    [1.5 * 1024 ** 3, '1.5 GiB'],
    [3520 * 1024 ** 2, '3.44 GiB'],
  ])('%p bytes is %p', (bytes, expected) => {
    expect(formatSize(bytes)).toBe(expected);
  });
});
