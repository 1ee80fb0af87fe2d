#!/usr/bin/env node
// A small real HTTP service for demos and tests: it starts listening after --start-delay, answers the Cascade
// standard health JSON on /health and /health/<anything>, becomes "ready" after --ready-delay, and can be told to
// exit, to fail, or to stay degraded, or (--fail-when-file) to answer 500 on /health while a file exists and it keeps
// running. Plain Node, no dependencies.
'use strict';
const http = require('node:http');
const { existsSync } = require('node:fs');

function parseArgs(argv) {
  const options = {
    name: 'service',
    port: 0,
    startDelay: 0,
    readyDelay: 0,
    failAfter: -1,
    exitAfter: -1,
    exitCode: 1,
    degraded: false,
    failWhenFile: '',
    requires: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => argv[++i];
    switch (flag) {
      case '--name':
        options.name = value();
        break;
      case '--port':
        options.port = Number(value());
        break;
      case '--start-delay':
        options.startDelay = Number(value());
        break;
      case '--ready-delay':
        options.readyDelay = Number(value());
        break;
      case '--fail-after':
        options.failAfter = Number(value());
        break;
      case '--exit-after':
        options.exitAfter = Number(value());
        break;
      case '--exit-code':
        options.exitCode = Number(value());
        break;
      case '--fail-when-file':
        options.failWhenFile = value();
        break;
      case '--degraded':
        options.degraded = true;
        break;
      case '--requires':
        options.requires.push(value());
        break;
      default:
        console.error(`health-service: unknown flag ${flag}`);
        process.exit(2);
    }
  }
  return options;
}

const options = parseArgs(process.argv.slice(2));
const startedAt = Date.now();
let listeningAt = 0;

function state(path) {
  const now = Date.now();
  if (options.failAfter >= 0 && now - startedAt >= options.failAfter) return 'unhealthy';
  if (path.startsWith('/health/ready') && now - listeningAt < options.readyDelay) return 'unhealthy';
  if (path.startsWith('/health/full') && options.degraded) return 'unhealthy';
  return options.degraded ? 'degraded' : 'healthy';
}

function healthBody(status) {
  const memory = process.memoryUsage();
  return {
    status,
    timestamp: new Date().toISOString(),
    service: { name: options.name, version: '1.0.0', uptime_seconds: Math.round((Date.now() - startedAt) / 1000) },
    checks: {
      self: { status, latency_ms: 0 },
      dependencies: Object.fromEntries(
        options.requires.map((dependency) => [dependency, { status: 'healthy', latency_ms: 1 }]),
      ),
      resources: { memory_mb: Math.round(memory.rss / 1048576), cpu_percent: 0, threads: 1 },
    },
    metrics: { requests_per_second: 0, error_rate: 0, average_latency_ms: 1 },
  };
}

const server = http.createServer((request, response) => {
  const path = request.url || '/';
  if (!path.startsWith('/health')) {
    response.writeHead(200, { 'content-type': 'text/plain' });
    return response.end(`${options.name}\n`);
  }
  if (options.failWhenFile && existsSync(options.failWhenFile)) {
    response.writeHead(500, { 'content-type': 'text/plain' });
    return response.end(`${options.name}: failing while ${options.failWhenFile} exists\n`);
  }
  const status = state(path);
  response.writeHead(status === 'unhealthy' ? 503 : 200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(healthBody(status)));
});

if (options.exitAfter >= 0) {
  setTimeout(() => {
    console.error(`${options.name}: exiting with code ${options.exitCode} as asked`);
    process.exit(options.exitCode);
  }, options.exitAfter);
}
process.on('SIGTERM', () => server.close(() => process.exit(0)));

setTimeout(() => {
  server.listen(options.port, '127.0.0.1', () => {
    listeningAt = Date.now();
    console.log(`${options.name}: listening on 127.0.0.1:${options.port} after ${listeningAt - startedAt} ms`);
  });
}, options.startDelay);
