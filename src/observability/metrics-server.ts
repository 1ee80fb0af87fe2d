import { createServer, type Server } from 'node:http';
import type { StackStatus } from '../contract/supervision';
import { stackHealth, type StackHealthDocument } from '../supervision/stack-health';
import type { BootwaveMetrics, StackSource } from './bootwave-metrics';

/**
 * The worker's HTTP endpoint: `/metrics` (Prometheus text), `/health` (the Cascade standard document of the one
 * supervised stack, or of each under `stacks` when there are several) and `/health/<plan>`. 503 when unhealthy,
 * as load balancers and Kubernetes probes expect; 404 for a plan that is not supervised.
 */
export async function startMetricsServer(options: {
  port: number;
  host?: string;
  metrics: BootwaveMetrics;
  stacks: StackSource;
}): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const send = (code: number, type: string, body: string) => {
      response.writeHead(code, { 'content-type': type });
      response.end(body);
    };
    const url = new URL(request.url ?? '/', 'http://localhost');
    const handle = async () => {
      if (url.pathname === '/metrics') return send(200, options.metrics.contentType, await options.metrics.text());
      if (url.pathname === '/health' || url.pathname.startsWith('/health/')) {
        const plan = url.pathname.slice('/health/'.length) || undefined;
        const docs = (await options.stacks()).filter((s) => !plan || s.plan === plan).map((s) => healthOf(s));
        if (plan && docs.length === 0)
          return send(404, 'application/json', JSON.stringify({ error: `plan ${plan} is not supervised` }));
        const body = docs.length === 1 ? docs[0]! : aggregate(docs);
        return send(body.status === 'unhealthy' ? 503 : 200, 'application/json', JSON.stringify(body, null, 2));
      }
      send(404, 'text/plain', 'not found: try /metrics or /health\n');
    };
    handle().catch((error: unknown) =>
      send(500, 'text/plain', `${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : options.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function healthOf(status: StackStatus): StackHealthDocument {
  const now = Date.now();
  return stackHealth(
    {
      plan: status.plan,
      supervisingSinceMs: status.supervisingSinceMs ?? now,
      services: status.services,
      breakers: status.breakers,
    },
    now,
  );
}

/** Several stacks: the worst status, and each stack's document. */
function aggregate(docs: StackHealthDocument[]) {
  const rank = { healthy: 0, degraded: 1, unhealthy: 2 } as const;
  const status = docs.reduce<StackHealthDocument['status']>(
    (worst, d) => (rank[d.status] > rank[worst] ? d.status : worst),
    'healthy',
  );
  return {
    status,
    timestamp: new Date().toISOString(),
    stacks: Object.fromEntries(docs.map((d) => [d.service.name, d])),
  };
}
