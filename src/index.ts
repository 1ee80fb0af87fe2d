/** The package's programmatic API: the client entry (see `./client/index.ts`); `bootwave/client` is the same. */
export * from './client/index';
