import type { CompositeProbe, LeafProbe } from '../plan/types';
import { execProbe } from './exec-probe';
import { httpProbe } from './http-probe';
import type { ProbeOptions, ProbeResult } from './probe-result';
import { prometheusProbe } from './prometheus-probe';
import { tcpProbe } from './tcp-probe';

/** One attempt of a leaf or composite check (staged checks are sequenced by the caller, stage by stage). */
export async function runProbe(spec: LeafProbe | CompositeProbe, options: ProbeOptions): Promise<ProbeResult> {
  switch (spec.kind) {
    case 'http':
      return httpProbe(spec, options);
    case 'tcp':
      return tcpProbe(spec, options);
    case 'exec':
      return execProbe(spec, options);
    case 'prometheus':
      return prometheusProbe(spec, options);
    case 'composite': {
      // All in the same round, in parallel: the round takes as long as the slowest check.
      const results = await Promise.all(spec.checks.map((check) => runProbe(check, options)));
      const failed = results.filter((r) => !r.ok);
      return failed.length === 0
        ? { ok: true, output: `all ${results.length} checks pass` }
        : {
            ok: false,
            output: `${failed.length} of ${results.length} checks fail: ${failed.map((r) => r.output).join('; ')}`,
          };
    }
  }
}
