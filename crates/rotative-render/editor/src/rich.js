// The rich writing mode: the body as readers will see it (headings, quotations and their source,
// lists, figures with their caption and credit, embeds), edited with the usual shortcuts, kept
// in step with the Markdown field the form sends.
import { EditorState, Plugin, NodeSelection, TextSelection } from 'prosemirror-state';
import { liftTarget } from 'prosemirror-transform';
import { EditorView, Decoration, DecorationSet } from 'prosemirror-view';
import { keymap } from 'prosemirror-keymap';
import { history, undo, redo } from 'prosemirror-history';
import { baseKeymap, toggleMark, setBlockType, wrapIn, lift, chainCommands, exitCode } from 'prosemirror-commands';
import { inputRules, wrappingInputRule, textblockTypeInputRule } from 'prosemirror-inputrules';
import { wrapInList, splitListItem, liftListItem, sinkListItem } from 'prosemirror-schema-list';
import { fromMarkdown, toMarkdown, schema } from './markdown.js';
import { cleanPastedHtml } from './paste.js';

const { nodes, marks } = schema;

// Paragraphs holding nothing but a link the site shows as a player or a post.
const EMBED = /^https:\/\/(www\.|m\.)?(youtube\.com\/(watch\?|shorts\/|embed\/)|youtu\.be\/|vimeo\.com\/\d+$|dailymotion\.com\/video\/|dai\.ly\/|(x|twitter)\.com\/[^/]+\/status\/\d+|bsky\.app\/profile\/[^/]+\/post\/|[^/\s]+\/@[^/\s]+\/\d+$)\S*$/;

function decorations(doc) {
  const found = [];
  doc.descendants((node, pos, parent) => {
    if (node.type === nodes.blockquote && node.childCount > 1) {
      const last = node.lastChild;
      if (last.type === nodes.paragraph && /^\s*—/.test(last.textContent)) {
        const at = pos + node.content.size + 1 - last.nodeSize;
        found.push(Decoration.node(at, at + last.nodeSize, { class: 'quote-source' }));
      }
    }
    if (node.type === nodes.paragraph && parent === doc && EMBED.test(node.textContent.trim()) && node.childCount === 1) {
      found.push(Decoration.node(pos, pos + node.nodeSize, { class: 'embed-line', 'data-label': 'Intégration : le lecteur la verra en cliquant' }));
    }
    return node.type !== nodes.paragraph;
  });
  return DecorationSet.create(doc, found);
}

const looks = new Plugin({ props: { decorations: (state) => decorations(state.doc) } });

function markActive(state, type) {
  const { from, $from, to, empty } = state.selection;
  if (empty) return !!type.isInSet(state.storedMarks || $from.marks());
  return state.doc.rangeHasMark(from, to, type);
}

function blockActive(state, type, attrs) {
  const { $from } = state.selection;
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth);
    if (node.type === type && (!attrs || Object.keys(attrs).every((k) => node.attrs[k] === attrs[k]))) return true;
  }
  return false;
}

/** Toggles a heading of `level` on the current block (a paragraph again when it already is one). */
function toggleHeading(level) {
  return (state, dispatch) => (blockActive(state, nodes.heading, { level })
    ? setBlockType(nodes.paragraph)(state, dispatch)
    : setBlockType(nodes.heading, { level })(state, dispatch));
}

function toggleList(type) {
  return (state, dispatch) => (blockActive(state, type) ? liftListItem(nodes.list_item)(state, dispatch) : wrapInList(type, { tight: true })(state, dispatch));
}

/** Takes the whole quotation the cursor is in out of quotation, its source line with it. */
function unquote(state, dispatch) {
  const { $from } = state.selection;
  let depth = $from.depth;
  while (depth > 0 && $from.node(depth).type !== nodes.blockquote) depth--;
  if (depth === 0) return false;
  const range = state.doc.resolve($from.start(depth)).blockRange(state.doc.resolve($from.end(depth)));
  const target = range && liftTarget(range);
  if (target === null || target === undefined) return lift(state, dispatch);
  if (dispatch) dispatch(state.tr.lift(range, target).scrollIntoView());
  return true;
}

/** Wraps the selected blocks in a quotation; `source`, when given, is added as its last line. */
function quote(source) {
  return (state, dispatch) => {
    if (blockActive(state, nodes.blockquote)) return unquote(state, dispatch);
    if (!wrapIn(nodes.blockquote)(state)) return false;
    if (dispatch) {
      wrapIn(nodes.blockquote)(state, (tr) => {
        if (source) {
          const range = tr.selection.$from.blockRange(tr.selection.$to);
          let end = tr.selection.$to.end(tr.selection.$to.depth - 1);
          for (let depth = tr.selection.$to.depth; depth > 0; depth--) {
            if (tr.selection.$to.node(depth).type === nodes.blockquote) {
              end = tr.selection.$to.end(depth);
              break;
            }
          }
          if (range) tr.insert(end, nodes.paragraph.create(null, schema.text(`— ${source}`)));
        }
        dispatch(tr.scrollIntoView());
      });
    }
    return true;
  };
}

function rules() {
  return inputRules({
    rules: [
      textblockTypeInputRule(/^(#{2,4})\s$/, nodes.heading, (match) => ({ level: match[1].length })),
      wrappingInputRule(/^\s*>\s$/, nodes.blockquote),
      wrappingInputRule(/^\s*([-+*])\s$/, nodes.bullet_list, (match) => ({ bullet: match[1], tight: true })),
      wrappingInputRule(/^(\d+)\.\s$/, nodes.ordered_list, (match) => ({ order: +match[1], tight: true }),
        (match, node) => node.childCount + node.attrs.order === +match[1]),
    ],
  });
}

/** How an image of the body shows in the rich mode: as its figure, with caption and credit. */
class FigureView {
  constructor(node, view, getPos, onEdit) {
    this.dom = document.createElement('span');
    this.dom.className = 'figure-edit';
    this.dom.contentEditable = 'false';
    this.view = view;
    this.getPos = getPos;
    this.onEdit = onEdit;
    this.render(node);
  }

  render(node) {
    this.node = node;
    const { src, alt, title } = node.attrs;
    this.dom.replaceChildren();
    const key = src.startsWith('media:') ? src.slice('media:'.length) : '';
    const image = document.createElement('img');
    image.src = `/media/${key.split('/').map(encodeURIComponent).join('/')}`;
    image.alt = alt || '';
    image.loading = 'lazy';
    const caption = document.createElement('span');
    caption.className = 'figure-caption';
    const [text, credit] = splitTitle(title || '');
    caption.textContent = text;
    if (credit) {
      const by = document.createElement('span');
      by.className = 'figure-credit';
      by.textContent = credit;
      caption.append(' ', by);
    }
    const details = document.createElement('span');
    details.className = 'figure-details';
    const name = document.createElement('span');
    name.textContent = alt ? `Description : ${alt}` : 'Sans texte alternatif : la publication l’attend.';
    if (!alt) name.className = 'figure-missing';
    const edit = document.createElement('button');
    edit.type = 'button';
    edit.className = 'secondary';
    edit.textContent = 'Modifier la description';
    // Each figure's button says which image it is for.
    edit.setAttribute('aria-label', alt ? `Modifier la description de l’image « ${alt} »` : 'Décrire l’image sans texte alternatif');
    edit.addEventListener('click', () => this.onEdit(this.getPos(), this.node));
    details.append(name, ' ', edit);
    this.dom.append(image, caption, details);
  }

  update(node) {
    if (node.type !== this.node.type) return false;
    if (node.attrs !== this.node.attrs) this.render(node);
    return true;
  }

  stopEvent(event) { return event.target instanceof HTMLButtonElement; }

  ignoreMutation() { return true; }
}

/** `Caption — Credit`, split at the last em dash as the server splits it. */
export function splitTitle(title) {
  const at = title.lastIndexOf(' — ');
  return at < 0 ? [title.trim(), ''] : [title.slice(0, at).trim(), title.slice(at + 3).trim()];
}

/** The image title the server reads: `Caption — Credit`, or ` — Credit` with no caption. */
export function joinTitle(caption, credit) {
  const [text, by] = [caption.trim(), credit.trim()];
  if (!by) return text || null;
  return `${text} — ${by}`;
}

/** The extent of the link the cursor is in (links may span several differently styled runs). */
function linkAround($pos) {
  const parent = $pos.parent;
  const index = $pos.index();
  const child = parent.maybeChild(index) || parent.maybeChild(index - 1);
  const link = child && marks.link.isInSet(child.marks);
  if (!link) return null;
  let first = parent.maybeChild(index) === child ? index : index - 1;
  let last = first;
  while (first > 0 && link.isInSet(parent.child(first - 1).marks)) first--;
  while (last + 1 < parent.childCount && link.isInSet(parent.child(last + 1).marks)) last++;
  let from = $pos.start();
  for (let i = 0; i < first; i++) from += parent.child(i).nodeSize;
  let to = from;
  for (let i = first; i <= last; i++) to += parent.child(i).nodeSize;
  return { from, to };
}

/**
 * Mounts the rich mode above `textarea`, which stays the form's field. `ui` gives what the rich
 * mode asks of the page: `askLink`, `askImage`, `pasteImages`, `changed`.
 */
export function mountRich(textarea, ui) {
  let kept;
  const host = document.createElement('div');
  host.className = 'rich-editor story-body';

  const shortcuts = {
    'Mod-z': undo,
    'Shift-Mod-z': redo,
    'Mod-y': redo,
    'Mod-b': toggleMark(marks.strong),
    'Mod-i': toggleMark(marks.em),
    'Mod-k': (state) => { ui.askLink(state, markActive(state, marks.link)); return true; },
    // Read by the key's place where Ctrl+Alt is not AltGr; under Windows it is, and AZERTY's
    // AltGr+3 types « # »: there the keymap leaves it alone, and « ## » or the toolbar serve.
    'Mod-Alt-2': toggleHeading(2),
    'Mod-Alt-3': toggleHeading(3),
    'Shift-Enter': chainCommands(exitCode, (state, dispatch) => {
      if (dispatch) dispatch(state.tr.replaceSelectionWith(nodes.hard_break.create()).scrollIntoView());
      return true;
    }),
    // Enter on a selected figure opens its description, the keyboard's way to it.
    Enter: chainCommands((state) => {
      const { selection } = state;
      if (!(selection instanceof NodeSelection) || selection.node.type !== nodes.image) return false;
      ui.editImage(selection.from, selection.node);
      return true;
    }, splitListItem(nodes.list_item)),
    'Mod-[': liftListItem(nodes.list_item),
    'Mod-]': sinkListItem(nodes.list_item),
    // In a list, Tab indents (elsewhere it leaves the text, as everywhere on the page).
    Tab: sinkListItem(nodes.list_item),
    'Shift-Tab': liftListItem(nodes.list_item),
  };

  const initial = fromMarkdown(textarea.value);
  kept = initial.kept;
  const plugins = [rules(), keymap(shortcuts), keymap(baseKeymap), history(), looks];
  const view = new EditorView(host, {
    state: EditorState.create({ doc: initial.doc, plugins }),
    attributes: {
      role: 'textbox',
      'aria-multiline': 'true',
      'aria-labelledby': textarea.labels[0] ? textarea.labels[0].id : '',
      // A refusal the server gave for the text is announced here as on the Markdown field.
      'aria-describedby': ['rich-hint', ...(textarea.getAttribute('aria-describedby') || '').split(' ').filter((id) => id.endsWith('-erreur'))].join(' '),
      ...(textarea.getAttribute('aria-invalid') ? { 'aria-invalid': 'true' } : {}),
      spellcheck: 'true',
      lang: 'fr',
    },
    nodeViews: { image: (node, nodeView, getPos) => new FigureView(node, nodeView, getPos, ui.editImage) },
    transformPastedHTML: cleanPastedHtml,
    handlePaste(_, event) {
      const files = imageFiles(event.clipboardData);
      // A document that also puts a picture of itself on the clipboard (Word, Excel) is pasted
      // as text; an image alone (a screenshot, an image copied from a page) is uploaded.
      const html = event.clipboardData ? event.clipboardData.getData('text/html') : '';
      if (!files.length || /<(p|h[1-6]|li|table|div)[\s>]/i.test(html)) return false;
      ui.pasteImages(files);
      return true;
    },
    handleDrop(_, event) {
      const files = imageFiles(event.dataTransfer);
      if (!files.length) return false;
      ui.pasteImages(files);
      return true;
    },
    dispatchTransaction(tr) {
      view.updateState(view.state.apply(tr));
      if (tr.docChanged) {
        textarea.value = toMarkdown(view.state.doc, kept);
        ui.changed();
      }
      ui.selectionChanged(view.state);
    },
  });

  return {
    dom: host,
    view,
    /** Reads the Markdown field anew (after the Markdown mode, or a draft taken back). */
    load() {
      // Unchanged in the Markdown mode: the document stays, with its undo history.
      if (textarea.value === toMarkdown(view.state.doc, kept)) return;
      const read = fromMarkdown(textarea.value);
      kept = read.kept;
      view.updateState(EditorState.create({ doc: read.doc, plugins }));
      ui.selectionChanged(view.state);
    },
    run(command) {
      command(view.state, view.dispatch, view);
      view.focus();
    },
    commands: { toggleHeading, toggleList, quote, markActive, blockActive },
    /** The address of the link at the cursor, if any. */
    linkAt() {
      const { $from } = view.state.selection;
      const child = $from.parent.maybeChild($from.index()) || $from.parent.maybeChild($from.index() - 1);
      const link = child && marks.link.isInSet(child.marks);
      return link ? link.attrs.href : null;
    },
    insertLink(href, text) {
      const { state } = view;
      const link = marks.link.create({ href });
      const around = state.selection.empty ? linkAround(state.selection.$from) : null;
      if (around) {
        view.dispatch(state.tr.removeMark(around.from, around.to, marks.link).addMark(around.from, around.to, link));
      } else if (state.selection.empty) {
        view.dispatch(state.tr.replaceSelectionWith(schema.text(text || href, [link]), false));
      } else {
        view.dispatch(state.tr.removeMark(state.selection.from, state.selection.to, marks.link).addMark(state.selection.from, state.selection.to, link));
      }
      view.focus();
    },
    removeLink() {
      const { state } = view;
      const { from, to } = state.selection.empty ? linkAround(state.selection.$from) || {} : state.selection;
      if (from === undefined) return;
      view.dispatch(state.tr.removeMark(from, to, marks.link));
      view.focus();
    },
    insertFigure(attrs, at, lead) {
      const figure = nodes.image.create(attrs);
      const { state } = view;
      if (typeof at === 'number') {
        view.dispatch(state.tr.setNodeMarkup(at, null, attrs));
      } else if (lead) {
        // The lead image is the story's first figure: it takes the place of one already first.
        const first = state.doc.firstChild;
        const isFigure = first && first.type === nodes.paragraph && first.childCount === 1 && first.firstChild.type === nodes.image;
        const paragraph = nodes.paragraph.create(null, figure);
        const tr = isFigure ? state.tr.replaceWith(0, first.nodeSize, paragraph) : state.tr.insert(0, paragraph);
        view.dispatch(tr.scrollIntoView());
      } else {
        // The figure goes after the block the cursor is in, and the cursor below it, ready for
        // the next paragraph.
        const paragraph = nodes.paragraph.create(null, figure);
        const $end = state.selection.$to;
        const after = $end.depth > 0 ? $end.after(1) : state.doc.content.size;
        const tr = state.tr.insert(after, [paragraph, nodes.paragraph.create()]);
        tr.setSelection(TextSelection.create(tr.doc, after + paragraph.nodeSize + 1));
        view.dispatch(tr.scrollIntoView());
      }
      view.focus();
    },
  };
}

function imageFiles(transfer) {
  if (!transfer || !transfer.files) return [];
  return Array.from(transfer.files).filter((file) => file.type.startsWith('image/'));
}
