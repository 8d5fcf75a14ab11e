// The http-mode server around function/handler.js, on Node's standard library only.
// The watchdog starts this once and proxies every request to it on 127.0.0.1:$PORT.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const handler = require('./function/handler');

const secretsDir = process.env.FAAS_SECRETS_DIR || '/var/openfaas/secrets';
const context = {
  secret: (name) => fs.readFileSync(path.join(secretsDir, name), 'utf8').trim(),
};

const server = http.createServer(async (req, res) => {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  const url = new URL(req.url, 'http://localhost');
  const event = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body: Buffer.concat(chunks) };
  let result;
  try {
    result = await handler(event, context);
  } catch (error) {
    result = { statusCode: 500, body: `handler failed: ${error.message}\n` };
  }
  if (result === null || typeof result !== 'object' || Buffer.isBuffer(result)) result = { statusCode: 200, body: result };
  const body = Buffer.isBuffer(result.body) ? result.body : Buffer.from(typeof result.body === 'string' ? result.body : JSON.stringify(result.body ?? ''));
  res.writeHead(result.statusCode || 200, { ...(result.headers || {}), 'Content-Length': body.length });
  res.end(body);
});

server.listen(Number(process.env.PORT || 3000), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
