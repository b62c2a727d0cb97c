// Markdown ⇄ rich document. Markdown stays the stored form: a body opened in the rich mode and
// saved again must come back byte for byte where the writer changed nothing. So every top-level
// block keeps the text it was read from, and is written back from that text as long as it is the
// same node (ProseMirror shares unchanged nodes between versions of a document); only the blocks
// the writer touched are written anew. What the rich mode cannot show faithfully (tables, HTML,
// footnotes) stays a block of Markdown source, edited as text.
import MarkdownIt from 'markdown-it';
import { MarkdownParser, MarkdownSerializer, defaultMarkdownSerializer, schema as baseSchema } from 'prosemirror-markdown';
import { Schema } from 'prosemirror-model';

export const schema = new Schema({
  nodes: baseSchema.spec.nodes
    .update('bullet_list', {
      ...baseSchema.spec.nodes.get('bullet_list'),
      attrs: { tight: { default: false }, bullet: { default: '-' } },
    })
    .update('horizontal_rule', {
      ...baseSchema.spec.nodes.get('horizontal_rule'),
      attrs: { markup: { default: '---' } },
    })
    .update('image', {
      ...baseSchema.spec.nodes.get('image'),
      // Only the site's own media: pasted or dropped images from elsewhere are uploaded first.
      parseDOM: [{
        tag: 'img[src]',
        getAttrs(dom) {
          const src = dom.getAttribute('data-media') || dom.getAttribute('src') || '';
          if (!src.startsWith('media:')) return false;
          return { src, alt: dom.getAttribute('alt'), title: dom.getAttribute('title') };
        },
      }],
    })
    .addToEnd('raw', {
      content: 'text*',
      group: 'block',
      code: true,
      marks: '',
      defining: true,
      // Before `pre` as a code block.
      parseDOM: [{ tag: 'pre.raw-markdown', preserveWhitespace: 'full', priority: 60 }],
      toDOM() { return ['pre', { class: 'raw-markdown' }, 0]; },
    }),
  marks: baseSchema.spec.marks.addToEnd('strike', {
    parseDOM: [{ tag: 's' }, { tag: 'del' }, { tag: 'strike' }],
    toDOM() { return ['s']; },
  }),
});

// The dialect the server reads (pulldown-cmark): CommonMark with tables, strikethrough and
// footnotes, HTML allowed (the server's sanitiser has the last word).
const tokenizer = MarkdownIt('commonmark', { html: true }).enable(['table', 'strikethrough']);
const Token = tokenizer.core.State.prototype.Token;

const listIsTight = (tokens, i) => {
  while (++i < tokens.length) if (tokens[i].type !== 'list_item_open') return tokens[i].hidden;
  return false;
};

const handlers = {
  blockquote: { block: 'blockquote' },
  paragraph: { block: 'paragraph' },
  list_item: { block: 'list_item' },
  bullet_list: { block: 'bullet_list', getAttrs: (tok, tokens, i) => ({ tight: listIsTight(tokens, i), bullet: tok.markup || '-' }) },
  ordered_list: { block: 'ordered_list', getAttrs: (tok, tokens, i) => ({ order: +tok.attrGet('start') || 1, tight: listIsTight(tokens, i) }) },
  heading: { block: 'heading', getAttrs: (tok) => ({ level: +tok.tag.slice(1) }) },
  code_block: { block: 'code_block', noCloseToken: true },
  fence: { block: 'code_block', getAttrs: (tok) => ({ params: tok.info || '' }), noCloseToken: true },
  hr: { node: 'horizontal_rule', getAttrs: (tok) => ({ markup: tok.markup || '---' }) },
  image: {
    node: 'image',
    getAttrs: (tok) => ({
      src: tok.attrGet('src'),
      title: tok.attrGet('title') || null,
      alt: tok.children.map((child) => child.content).join('') || null,
    }),
  },
  hardbreak: { node: 'hard_break' },
  em: { mark: 'em' },
  strong: { mark: 'strong' },
  s: { mark: 'strike' },
  link: { mark: 'link', getAttrs: (tok) => ({ href: tok.attrGet('href'), title: tok.attrGet('title') || null }) },
  code_inline: { mark: 'code', noCloseToken: true },
  raw_block: { block: 'raw', noCloseToken: true },
};

// Blocks the rich mode shows as Markdown source: their meaning would not survive a rewrite.
const KEPT_AS_SOURCE = new Set(['table_open', 'html_block']);
// Character references to controls and non-characters, which the two Markdown readers decode
// differently.
function oddReference(text) {
  for (const [, hex, decimal] of text.matchAll(/&#(?:[xX]([0-9a-fA-F]+)|(\d+));/g)) {
    const code = hex ? parseInt(hex, 16) : parseInt(decimal, 10);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return true;
  }
  return false;
}

function keptAsSource(tokens) {
  if (tokens.some((token) => KEPT_AS_SOURCE.has(token.type))) return true;
  return tokens.some((token) => token.type === 'inline' && (
    /\[\^/.test(token.content) || oddReference(token.content) ||
    token.children.some((child) => child.type === 'html_inline' || (child.type === 'link_open' && child.markup === 'linkify'))));
}

// The document's top-level blocks, each with the lines it was read from.
function topLevelBlocks(tokens) {
  const blocks = [];
  for (let i = 0; i < tokens.length; i++) {
    const start = i;
    if (tokens[i].nesting === 1) {
      let depth = 0;
      for (; i < tokens.length; i++) {
        depth += tokens[i].nesting;
        if (depth === 0) break;
      }
    }
    blocks.push(tokens.slice(start, i + 1));
  }
  return blocks;
}

function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

// Splits the text into what lies before, between and after the top-level blocks, and turns the
// blocks the rich mode cannot show into source blocks.
function readBlocks(text) {
  const env = {};
  const tokens = tokenizer.parse(text, env);
  const starts = lineStarts(text);
  const endOfLine = (line) => (line < starts.length ? starts[line] - 1 : text.length);
  const blocks = topLevelBlocks(tokens).map((blockTokens) => {
    const [first, last] = blockTokens[0].map;
    const from = starts[first];
    // Blank lines a block's range ends with (markdown-it counts the one after a list) belong
    // to the gap after it: a gap tells whether the next block could run on from this one.
    const to = from + text.slice(from, Math.max(from, endOfLine(last))).replace(/(\n[ \t]*)+$/, '').length;
    return { tokens: blockTokens, from, to };
  });
  const tiled = blocks.every((block, i) => block.tokens[0].map && (i === 0 || blocks[i - 1].to <= block.from));
  if (!tiled) return { tokens, blocks: null };
  const out = [];
  for (const block of blocks) {
    if (keptAsSource(block.tokens)) {
      const raw = new Token('raw_block', '', 0);
      raw.content = text.slice(block.from, block.to);
      raw.map = block.tokens[0].map;
      raw.block = true;
      block.tokens = [raw];
    }
    out.push(...block.tokens);
  }
  return { tokens: out, blocks };
}

// The parser is given tokens already read, so that the blocks and the nodes line up.
let pending = null;
const parser = new MarkdownParser(schema, { parse: () => pending }, handlers);

/**
 * Reads a body: the document, and what `toMarkdown` needs to write untouched blocks back as
 * typed. A body the rich mode cannot read at all is one block of Markdown source.
 */
export function fromMarkdown(text) {
  try {
    return read(text);
  } catch (e) {
    pending = null;
    const whole = schema.nodes.raw.create(null, text ? schema.text(text) : null);
    const doc = schema.topNodeType.create(null, [whole]);
    const sources = new WeakMap([[whole, { index: 0, from: 0, to: text.length, text }]]);
    return { doc, kept: { text, sources, nodes: [whole], gaps: [], before: '', after: '' } };
  }
}

function read(text) {
  const { tokens, blocks } = readBlocks(text);
  pending = tokens;
  const doc = parser.parse(text);
  pending = null;
  const kept = { text, sources: new WeakMap(), nodes: [], gaps: [], before: text, after: '' };
  // A body with no block at all (empty, or only blank lines) is one empty paragraph here.
  if (blocks && blocks.length === 0) return { doc, kept };
  if (!blocks || blocks.length !== doc.childCount) return { doc, kept: { ...kept, text: null } };
  doc.forEach((node, _, index) => {
    const { from, to } = blocks[index];
    kept.sources.set(node, { index, from, to, text: text.slice(from, to) });
    kept.nodes.push(node);
  });
  kept.before = text.slice(0, blocks.length ? blocks[0].from : text.length);
  kept.after = blocks.length ? text.slice(blocks[blocks.length - 1].to) : '';
  for (let i = 0; i + 1 < blocks.length; i++) kept.gaps.push(text.slice(blocks[i].to, blocks[i + 1].from));
  return { doc, kept };
}

const serializer = new MarkdownSerializer({
  ...defaultMarkdownSerializer.nodes,
  bullet_list(state, node) {
    state.renderList(node, '  ', () => `${node.attrs.bullet || '-'} `);
  },
  image(state, node) {
    const title = node.attrs.title ? ` "${node.attrs.title.replace(/["\\]/g, '\\$&')}"` : '';
    state.write(`![${state.esc(node.attrs.alt || '')}](${node.attrs.src.replace(/[()\s]/g, (c) => encodeURIComponent(c))}${title})`);
  },
  hard_break(state, node, parent, index) {
    for (let i = index + 1; i < parent.childCount; i++) {
      if (parent.child(i).type !== node.type) {
        state.write('\\\n');
        return;
      }
    }
  },
  raw(state, node) {
    state.text(node.textContent, false);
    state.closeBlock(node);
  },
}, {
  ...defaultMarkdownSerializer.marks,
  // `*`, not `_`: it also works inside a word.
  em: { open: '*', close: '*', mixable: true, expelEnclosingWhitespace: true },
  strike: { open: '~~', close: '~~', mixable: true, expelEnclosingWhitespace: true },
}, {
  // `<` and entities would otherwise be read back as HTML.
  escapeExtraCharacters: /<|&(?=#?\w+;)/g,
});

// Blocks are immutable: each one is written once, however many keystrokes follow.
const writtenBlocks = new WeakMap();

/** One block written anew. */
export function written(node) {
  let text = writtenBlocks.get(node);
  if (text === undefined) {
    text = serializer.serialize(schema.topNodeType.create(null, [node])).replace(/\n+$/, '');
    writtenBlocks.set(node, text);
  }
  return text;
}

// A gap that holds a blank line keeps any two blocks apart; one without (a heading followed by
// a paragraph, say) only those it was typed between.
const separates = (gap) => /\n[ \t]*\n/.test(gap);

/**
 * Writes the document as Markdown. Blocks read from `kept` and left untouched come back as they
 * were typed, with what separated them; others are written anew, a blank line apart.
 */
export function toMarkdown(doc, kept) {
  if (!kept || kept.text === null) return serializer.serialize(doc);
  if (doc.childCount === 1 && doc.firstChild.type === schema.nodes.paragraph && doc.firstChild.content.size === 0) {
    // With no block read, whatever the text held (blank lines, link definitions) was never shown.
    return kept.nodes.length === 0 ? kept.text : '';
  }
  // While no block was added or removed, position `index` still holds block `index`.
  const unmoved = doc.childCount === kept.gaps.length + 1;
  const inPlace = (source, index) => unmoved && (!source || source.index === index);
  const usedGaps = new Set();
  let out = '';
  let previous = null;
  let started = false;
  doc.forEach((node, _, index) => {
    let source = kept.sources.get(node);
    // A block made anew but equal to the one that stood there (Enter at a paragraph's end
    // rebuilds it) is still the block as typed.
    if (!source && unmoved && kept.nodes[index] && kept.nodes[index].eq(node)) source = kept.sources.get(kept.nodes[index]);
    // An empty paragraph (left by Enter, or by a paste) is nothing in Markdown.
    if (!source && node.type === schema.nodes.paragraph && node.content.size === 0) return;
    if (!started) {
      // What precedes the first block (link definitions, say) stays, a blank line from a new one.
      out += kept.before;
      const endsApart = /\n[ \t]*\n[ \t]*$/.test(kept.before);
      if (!(source && source.index === 0) && kept.before.trim() !== '' && !endsApart) {
        out += kept.before.endsWith('\n') ? '\n' : '\n\n';
      }
      started = true;
    } else if (source && previous && previous.index + 1 === source.index) {
      out += kept.gaps[previous.index];
      usedGaps.add(previous.index);
    } else if (inPlace(previous, index - 1) && inPlace(source, index) && separates(kept.gaps[index - 1])) {
      // A block edited where it stands keeps the spacing it had with its neighbours.
      out += kept.gaps[index - 1];
      usedGaps.add(index - 1);
    } else {
      out += '\n\n';
    }
    out += source ? source.text : written(node);
    previous = source;
  });
  // Link definitions live between blocks: when the blocks around them are gone, they are kept
  // at the end, so the links that use them still work.
  const orphans = kept.gaps
    .filter((gap, i) => !usedGaps.has(i) && gap.trim() !== '')
    .map((gap) => gap.trim());
  if (orphans.length) out += `\n\n${orphans.join('\n\n')}`;
  return out + kept.after;
}
