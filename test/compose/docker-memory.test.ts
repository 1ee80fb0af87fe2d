import { dockerMemoryBytes } from '../../src/compose/docker-memory';

describe('Docker memory sizes, as the engine reads them', () => {
  test.each([
    [1024, 1024],
    ['512', 512],
    ['512b', 512],
    ['64k', 64 * 1024],
    ['64m', 64 * 1024 ** 2],
    ['64MiB', 64 * 1024 ** 2],
    ['64mb', 64 * 1024 ** 2],
    ['64 MB', 64 * 1024 ** 2],
    ['1.5g', 1.5 * 1024 ** 3],
    ['1GiB', 1024 ** 3],
    ['2t', 2 * 1024 ** 4],
  ])('%p is %p bytes', (value, bytes) => {
    expect(dockerMemoryBytes(value)).toBe(bytes);
  });

  test.each([['lots'], ['-1m'], ['1x'], ['1 g b'], [1.5], [-1]])('%p is not a size', (value) => {
    expect(dockerMemoryBytes(value)).toBeUndefined();
  });
});
