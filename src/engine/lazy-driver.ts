import type { Driver } from '../drivers/driver';

/**
 * A driver built on first use: the worker need not reach a Docker engine or a cluster until a plan asks for one,
 * and a failure to build it fails only the services of that kind.
 */
export function lazyDriver(build: () => Promise<Driver>): Driver {
  let driver: Promise<Driver> | undefined;
  const get = () =>
    (driver ??= build().catch((error) => {
      driver = undefined;
      throw error;
    }));
  return {
    start: async (ctx, service) => (await get()).start(ctx, service),
    inspect: async (ctx, service) => (await get()).inspect(ctx, service),
    inspectSteady: async (ctx, service) => {
      const real = await get();
      return real.inspectSteady ? real.inspectSteady(ctx, service) : real.inspect(ctx, service);
    },
    awaitNativeReady: async (ctx, service, watch) => {
      const real = await get();
      return real.awaitNativeReady?.(ctx, service, watch);
    },
    stop: async (ctx, service) => (await get()).stop(ctx, service),
  };
}
