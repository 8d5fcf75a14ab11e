'use strict';

// Returns the response body, or { statusCode, headers, body }.
module.exports = async (event, context) => {
  const name = event.body.toString() || 'world';
  return { statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: `Hello from Node, ${name}!\n` };
};
