'use strict';

// Markdown to HTML: headings, paragraphs, emphasis, inline code, code blocks, links and lists.
const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const inline = (text) => escape(text)
  .replace(/`([^`]+)`/g, '<code>$1</code>')
  .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
  .replace(/\*([^*]+)\*/g, '<em>$1</em>')
  .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>');

function render(markdown) {
  const html = [];
  let paragraph = [];
  let list = null;
  let code = null;
  const flush = () => {
    if (paragraph.length) html.push(`<p>${inline(paragraph.join(' '))}</p>`);
    if (list) html.push(`<${list.tag}>${list.items.map((item) => `<li>${inline(item)}</li>`).join('')}</${list.tag}>`);
    paragraph = [];
    list = null;
  };
  for (const line of markdown.split(/\r?\n/)) {
    if (code !== null) {
      if (line.startsWith('```')) { html.push(`<pre><code>${escape(code.join('\n'))}</code></pre>`); code = null; } else code.push(line);
      continue;
    }
    let match;
    if (line.startsWith('```')) { flush(); code = []; } else if ((match = /^(#{1,6})\s+(.*)$/.exec(line))) {
      flush();
      html.push(`<h${match[1].length}>${inline(match[2])}</h${match[1].length}>`);
    } else if ((match = /^\s*([-*]|\d+\.)\s+(.*)$/.exec(line))) {
      const tag = /\d/.test(match[1]) ? 'ol' : 'ul';
      if (paragraph.length || (list && list.tag !== tag)) flush();
      list = list || { tag, items: [] };
      list.items.push(match[2]);
    } else if (line.trim() === '') flush();
    else { if (list) flush(); paragraph.push(line.trim()); }
  }
  if (code !== null) html.push(`<pre><code>${escape(code.join('\n'))}</code></pre>`);
  flush();
  return html.join('\n') + '\n';
}

module.exports = async (event) => ({ statusCode: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: render(event.body.toString()) });
module.exports.render = render;
