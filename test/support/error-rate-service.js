#!/usr/bin/env node
// TEST ONLY. A real little HTTP service with Prometheus counters: it "serves" 10 requests a second and counts
// them in requests_total; errors_total climbs with them once told to fail (POST /fail), and stops again on
// POST /recover. Serves /metrics in Prometheus's text format, and answers GET /health with its --name (a later
// flag wins, so a new version appends `--name shop-v2`) whatever its error rate: alive, but maybe failing its users.
// Usage: node error-rate-service.js --port <port> [--name <name>]
'use strict';
const http = require('node:http');

const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
const nameAt = process.argv.lastIndexOf('--name');
const name = nameAt >= 0 ? process.argv[nameAt + 1] : 'error-rate-service';
let requests = 0;
let errors = 0;
let failing = false;
setInterval(() => {
  requests += 1;
  if (failing) errors += 1;
}, 100);

http
  .createServer((req, res) => {
    if (req.method === 'POST' && (req.url === '/fail' || req.url === '/recover')) {
      failing = req.url === '/fail';
      res.end(failing ? 'failing\n' : 'recovered\n');
    } else if (req.url === '/health') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'healthy', service: { name, argv: process.argv.slice(2) } }));
    } else if (req.url === '/metrics') {
      res.setHeader('content-type', 'text/plain; version=0.0.4');
      res.end(
        [
          '# HELP requests_total Requests served.',
          '# TYPE requests_total counter',
          `requests_total ${requests}`,
          '# HELP errors_total Requests that failed.',
          '# TYPE errors_total counter',
          `errors_total ${errors}`,
          '',
        ].join('\n'),
      );
    } else {
      res.statusCode = 404;
      res.end('not found\n');
    }
  })
  .listen(port, '127.0.0.1');
