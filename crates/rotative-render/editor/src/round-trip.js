// For the tests: reads bodies as the rich mode does and writes them back, untouched and with one
// block edited, so that a test can hold the result to the body typed.
import { Transform } from 'prosemirror-transform';
import { fromMarkdown, toMarkdown, written, schema } from './markdown.js';

/** What became of one body: `untouched` must be the body itself; `edited`, the body with only its first paragraph rewritten; `rewritten`, every block written anew (the server must render it as it renders the body). */
export function roundTrip(text) {
  const { doc, kept } = fromMarkdown(text);
  // Written anew, with the body's own ending (a last HTML block reads its final line break).
  const rewritten = toMarkdown(doc, null).replace(/[ \t\r\n]*$/, '') + text.match(/[ \t\r\n]*$/)[0];
  const result = { untouched: toMarkdown(doc, kept), rewritten, preserved: kept.text !== null };
  let at = null;
  doc.forEach((node, offset) => {
    if (at === null && node.type === schema.nodes.paragraph && node.content.size > 0) at = offset;
  });
  if (at !== null) {
    const original = doc.nodeAt(at);
    const edited = new Transform(doc).insert(at + 1, schema.text('Modifié. ')).doc;
    const source = kept.sources.get(original);
    result.edited = toMarkdown(edited, kept);
    if (source) {
      // The other blocks as typed; the edited one written anew, with its gaps kept where they
      // hold a blank line (one that does not could let a rewritten block run into the next).
      const apart = (gap) => (/\n[ \t]*\n/.test(gap) ? gap : '\n\n');
      const { index } = source;
      const before = index === 0 ? text.slice(0, source.from) : text.slice(0, kept.sources.get(kept.nodes[index - 1]).to) + apart(kept.gaps[index - 1]);
      const after = index + 1 < kept.nodes.length ? apart(kept.gaps[index]) + text.slice(kept.sources.get(kept.nodes[index + 1]).from) : text.slice(source.to);
      result.expectedEdited = before + written(edited.nodeAt(at)) + after;
    }
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
