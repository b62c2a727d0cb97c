// For the tests: reads bodies as the rich mode does and writes them back, untouched and with one
// block edited, so that a test can hold the result to the body typed.
import { Transform } from 'prosemirror-transform';
import { fromMarkdown, toMarkdown, written, schema } from './markdown.js';

/** What became of one body: `untouched` must be the body itself; `edited`, the body with only its first paragraph rewritten; `rewritten`, every block written anew (the server must render it as it renders the body). */
export function roundTrip(text) {
  const { doc, kept } = fromMarkdown(text);
  const result = { untouched: toMarkdown(doc, kept), rewritten: toMarkdown(doc, null), preserved: kept.text !== null };
  let at = null;
  doc.forEach((node, offset) => {
    if (at === null && node.type === schema.nodes.paragraph && node.content.size > 0) at = offset;
  });
  if (at !== null) {
    const original = doc.nodeAt(at);
    const edited = new Transform(doc).insert(at + 1, schema.text('Modifié. ')).doc;
    const source = kept.sources.get(original);
    result.edited = toMarkdown(edited, kept);
    result.expectedEdited = source ? text.slice(0, source.from) + written(edited.nodeAt(at)) + text.slice(source.to) : null;
  }
  return result;
}

// `node editor-round-trip.mjs < bodies.json`: one result per body, as JSON.
if (typeof process !== 'undefined' && process.argv[1] && process.argv[1].endsWith('editor-round-trip.mjs')) {
  let input = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => { input += chunk; });
  process.stdin.on('end', () => {
    process.stdout.write(JSON.stringify(JSON.parse(input).map(roundTrip)));
  });
}
