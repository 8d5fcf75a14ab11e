'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { render } = require('./handler');

test('renders headings, emphasis, lists and code', () => {
  const html = render('# Title\n\nSome **bold** and *em* with `code`.\n\n- one\n- two\n\n```\n<raw>\n```');
  assert.strictEqual(html, '<h1>Title</h1>\n<p>Some <strong>bold</strong> and <em>em</em> with <code>code</code>.</p>\n<ul><li>one</li><li>two</li></ul>\n<pre><code>&lt;raw&gt;</code></pre>\n');
});
