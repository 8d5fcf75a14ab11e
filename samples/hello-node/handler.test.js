'use strict';
const test = require('node:test');
const assert = require('node:assert');
const handler = require('./handler');

test('greets the caller', async () => {
  const response = await handler({ method: 'POST', path: '/', query: {}, headers: {}, body: Buffer.from('tests') }, {});
  assert.strictEqual(response.statusCode, 200);
  assert.match(response.body, /tests/);
});
