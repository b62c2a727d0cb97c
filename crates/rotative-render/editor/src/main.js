// The story editor, improved when JavaScript runs: a rich writing mode (or Markdown, the stored
// form), a live preview rendered by the server, autosave every few seconds and on leave, and a
// copy of the text kept in this browser so nothing typed is lost if the session ends. Without
// JavaScript the form works as is.
import { toggleMark } from 'prosemirror-commands';
import { undo, redo } from 'prosemirror-history';
import { mountRich, splitTitle, joinTitle } from './rich.js';
import { safeHref, takePastedImages } from './paste.js';
import { counts } from './counts.js';
import { t } from './messages.js';

const FACT_CHECK = 'factcheck';
// Shortcuts are named as the keyboard in front of the journalist names them.
const MAC = /Mac|iPhone|iPad/.test(navigator.platform);
const MOD_NAME = MAC ? '⌘' : 'Ctrl+';

/** `Control+Alt+2` as this keyboard writes it: « Ctrl+Alt+2 », or « ⌥⌘2 » on a Mac. */
function shortcutName(keys) {
  return MAC ? keys.replace('Control+Alt+', '⌥⌘').replace('Control+', '⌘') : keys.replace('Control', 'Ctrl');
}
const form = document.querySelector('form.editor');
if (form) start(form);

function start(form) {
  const body = form.querySelector('#body');
  const state = document.getElementById('save-state');
  const autosaveUrl = form.getAttribute('data-autosave');
  const previewUrl = form.getAttribute('data-preview');
  const draftKey = `rotative-draft:${form.getAttribute('data-story') || 'nouveau'}`;
  const csrf = form.querySelector('input[name=csrf]').value;
  let dirty = false;
  // A published or scheduled story is saved only by « Enregistrer »: what readers get (now or at
  // the set time) is never a sentence half typed.
  const manualSave = form.hasAttribute('data-manual-save');

  const say = (text) => { if (state) state.textContent = text; };
  const now = () => {
    const d = new Date();
    return `${d.getHours()} h ${String(d.getMinutes()).padStart(2, '0')}`;
  };

  // Writing: the rich mode above the Markdown field, and a toolbar for both.
  const writing = document.createElement('div');
  writing.className = 'writing';
  body.parentNode.insertBefore(writing, body);
  const bar = document.createElement('div');
  bar.className = 'toolbar';
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', t.toolbar);
  const countLine = document.createElement('p');
  countLine.className = 'counts hint';
  countLine.id = 'body-counts';
  const richHint = document.createElement('p');
  richHint.className = 'visually-hidden';
  richHint.id = 'rich-hint';
  richHint.textContent = t.richHint(MOD_NAME);
  writing.append(bar, body, countLine, richHint);

  const rich = mountRich(body, {
    changed: () => changed(),
    askLink: (_, active) => askLink(active),
    editImage: (pos, node) => askImage({ pos, node }),
    // One dialog at a time: several images pasted at once are described one after another.
    pasteImages: (files) => files.reduce((asked, file) => asked.then(() => askImage({ file })), Promise.resolve()),
    selectionChanged: (editorState) => refreshToolbar(editorState),
  });
  writing.insertBefore(rich.dom, body);
  const { toggleHeading, toggleList, quote, markActive, blockActive } = rich.commands;
  const { schema } = rich.view.state;

  // Each tool: what it does in the rich mode, and the Markdown it types in the Markdown mode.
  const tools = [
    { id: 'bold', label: t.bold, short: t.boldShort, keys: 'Control+B', rich: () => rich.run(toggleMark(schema.marks.strong)), active: (s) => markActive(s, schema.marks.strong), md: ['**', '**', t.boldSample] },
    { id: 'italic', label: t.italic, short: t.italicShort, keys: 'Control+I', rich: () => rich.run(toggleMark(schema.marks.em)), active: (s) => markActive(s, schema.marks.em), md: ['_', '_', t.italicSample] },
    { id: 'link', label: t.link, keys: 'Control+K', rich: () => askLink(markActive(rich.view.state, schema.marks.link)), active: (s) => markActive(s, schema.marks.link), md: ['[', '](https://)', t.linkSample] },
    { id: 'heading', label: t.heading, keys: 'Control+Alt+2', rich: () => rich.run(toggleHeading(2)), active: (s) => blockActive(s, schema.nodes.heading, { level: 2 }), md: ['\n## ', '\n', t.headingSample] },
    { id: 'subheading', label: t.subheading, keys: 'Control+Alt+3', rich: () => rich.run(toggleHeading(3)), active: (s) => blockActive(s, schema.nodes.heading, { level: 3 }), md: ['\n### ', '\n', t.headingSample] },
    { id: 'quote', label: t.quote, rich: () => askQuote(), active: (s) => blockActive(s, schema.nodes.blockquote), md: ['\n> ', '\n>\n> — Source\n', t.quoteSample] },
    { id: 'list', label: t.list, rich: () => rich.run(toggleList(schema.nodes.bullet_list)), active: (s) => blockActive(s, schema.nodes.bullet_list), md: ['\n- ', '\n', t.itemSample] },
    { id: 'orderedList', label: t.orderedList, rich: () => rich.run(toggleList(schema.nodes.ordered_list)), active: (s) => blockActive(s, schema.nodes.ordered_list), md: ['\n1. ', '\n', t.itemSample] },
    { id: 'image', label: t.image, rich: () => askImage({}), md: null },
    { id: 'lead', label: t.leadImage, rich: () => askImage({ lead: true }), md: null },
    { id: 'undo', label: t.undo, short: '↶', keys: 'Control+Z', rich: () => rich.run(undo), richOnly: true },
    { id: 'redo', label: t.redo, short: '↷', keys: 'Control+Y', rich: () => rich.run(redo), richOnly: true },
  ];

  const modes = document.createElement('div');
  modes.className = 'modes';
  modes.setAttribute('role', 'group');
  modes.setAttribute('aria-label', t.modes);
  const modeButtons = {};
  [['rich', t.richMode], ['markdown', t.markdownMode]].forEach(([mode, label]) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary';
    button.textContent = label;
    button.dataset.mode = mode;
    button.addEventListener('click', () => setMode(mode, true));
    modeButtons[mode] = button;
    modes.append(button);
  });
  const toolButtons = tools.map((tool) => {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary';
    button.textContent = tool.short || tool.label;
    if (tool.short) button.setAttribute('aria-label', tool.label);
    if (tool.short || tool.keys) button.title = tool.keys ? `${tool.label} (${shortcutName(tool.keys)})` : tool.label;
    button.dataset.tool = tool.id;
    if (tool.keys) button.setAttribute('aria-keyshortcuts', MAC ? tool.keys.replace('Control', 'Meta') : tool.keys);
    // Keeps the selection in the text while the button is pressed.
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', () => {
      if (mode === 'rich' || !tool.md) tool.rich();
      else typeMarkdown(...tool.md);
    });
    bar.append(button);
    return { tool, button };
  });
  bar.append(modes);

  function refreshToolbar(editorState) {
    for (const { tool, button } of toolButtons) {
      // The Markdown field keeps the browser's own undo (Ctrl+Z): the buttons rest there.
      button.disabled = mode === 'markdown' && !!tool.richOnly;
      if (tool.active && mode === 'rich') button.setAttribute('aria-pressed', String(!!tool.active(editorState)));
      else button.removeAttribute('aria-pressed');
    }
  }

  function typeMarkdown(before, after, sample) {
    const start = body.selectionStart;
    const end = body.selectionEnd;
    const selected = body.value.slice(start, end) || sample;
    body.setRangeText(before + selected + after, start, end, 'select');
    body.focus();
    changed();
  }

  const bodyHint = document.getElementById('body-hint');
  let mode = 'rich';
  function setMode(next, byHand) {
    if (next === 'rich' && mode !== 'rich') rich.load();
    mode = next;
    rich.dom.hidden = mode !== 'rich';
    body.hidden = mode === 'rich';
    // A hidden field cannot show the browser's "required" bubble; the server says it instead.
    body.required = mode !== 'rich';
    if (bodyHint) bodyHint.hidden = mode === 'rich';
    modeButtons.rich.setAttribute('aria-pressed', String(mode === 'rich'));
    modeButtons.markdown.setAttribute('aria-pressed', String(mode === 'markdown'));
    refreshToolbar(rich.view.state);
    try { localStorage.setItem('rotative-editor-mode', mode); } catch (e) { /* no storage */ }
    if (byHand) {
      rove(modeButtons[mode]);
      (mode === 'rich' ? rich.view : body).focus();
    }
  }
  let preferred = 'rich';
  try { preferred = localStorage.getItem('rotative-editor-mode') || 'rich'; } catch (e) { /* no storage */ }
  setMode(preferred === 'markdown' ? 'markdown' : 'rich', false);

  // The fact-check's fields, only for the « Vérification » type (all of them show without JavaScript).
  const kind = form.elements.kind;
  const claimFields = form.querySelector('.claim-fields');
  const showClaim = () => { if (kind && claimFields) claimFields.hidden = kind.value !== FACT_CHECK; };
  if (kind) kind.addEventListener('change', showClaim);
  showClaim();

  // Dialogs: a link, a quotation's source, an image and its description.
  function dialog(title, fields, submitLabel, extraButtons) {
    const box = document.createElement('dialog');
    box.className = 'editor-dialog';
    const heading = document.createElement('h2');
    heading.id = `dialog-${Date.now()}`;
    heading.textContent = title;
    box.setAttribute('aria-labelledby', heading.id);
    const inner = document.createElement('form');
    inner.method = 'dialog';
    inner.className = 'stacked';
    inner.noValidate = true;
    const inputs = {};
    for (const field of fields) {
      const p = document.createElement('p');
      const label = document.createElement('label');
      const input = document.createElement(field.multiline ? 'textarea' : 'input');
      input.id = `dialog-${field.name}`;
      input.name = field.name;
      if (field.type) input.type = field.type;
      if (field.accept) input.accept = field.accept;
      if (field.value) input.value = field.value;
      if (field.multiline) input.rows = 2;
      if (field.required) input.setAttribute('aria-required', 'true');
      label.htmlFor = input.id;
      label.textContent = field.label;
      p.append(label);
      if (field.hint) {
        const hint = document.createElement('span');
        hint.className = 'hint';
        hint.id = `${input.id}-aide`;
        hint.textContent = field.hint;
        input.setAttribute('aria-describedby', hint.id);
        p.append(hint);
      }
      p.append(input);
      inner.append(p);
      inputs[field.name] = input;
    }
    const error = document.createElement('p');
    error.className = 'field-error';
    error.setAttribute('role', 'alert');
    error.hidden = true;
    const buttons = document.createElement('p');
    buttons.className = 'buttons';
    const ok = document.createElement('button');
    ok.type = 'submit';
    ok.textContent = submitLabel;
    buttons.append(ok, ...(extraButtons || []));
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'secondary';
    cancel.textContent = t.cancel;
    cancel.addEventListener('click', () => box.close());
    buttons.append(cancel);
    inner.append(error, buttons);
    box.append(heading, inner);
    document.body.append(box);
    box.addEventListener('close', () => {
      box.remove();
      if (mode === 'rich') rich.view.focus(); else body.focus();
    });
    const fail = (message) => { error.textContent = message; error.hidden = false; };
    box.showModal();
    const closed = new Promise((resolve) => box.addEventListener('close', resolve));
    return { box, form: inner, inputs, fail, ok, closed };
  }

  function askLink(active) {
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'secondary';
    remove.textContent = t.removeLink;
    const fields = [{ name: 'href', label: t.linkAddress, hint: t.linkHint, required: true, type: 'text', value: rich.linkAt() || '' }];
    const needsText = !active && rich.view.state.selection.empty;
    if (needsText) fields.unshift({ name: 'text', label: t.linkText, required: true, type: 'text' });
    const asked = dialog(t.linkTitle, fields, t.addLink, active ? [remove] : []);
    asked.inputs.href.setAttribute('inputmode', 'url');
    remove.addEventListener('click', () => { asked.box.close(); rich.removeLink(); });
    asked.form.addEventListener('submit', (event) => {
      const href = safeHref(asked.inputs.href.value);
      if (!href || !asked.inputs.href.value.trim()) {
        event.preventDefault();
        asked.fail(t.badLink);
        asked.inputs.href.setAttribute('aria-invalid', 'true');
        return;
      }
      asked.box.close();
      rich.insertLink(href, needsText ? asked.inputs.text.value.trim() : '');
    });
  }

  function askQuote() {
    if (blockActive(rich.view.state, schema.nodes.blockquote)) {
      rich.run(quote(''));
      return;
    }
    const asked = dialog(t.quoteTitle, [{ name: 'source', label: t.quoteSource, hint: t.quoteSourceHint, type: 'text' }], t.makeQuote);
    asked.form.addEventListener('submit', () => {
      const source = asked.inputs.source.value.trim();
      asked.box.close();
      rich.run(quote(source));
    });
  }

  const refusals = {
    413: t.tooLarge,
    415: t.notAnImage,
    422: t.damagedImage,
  };

  function upload(file, description) {
    const data = new FormData();
    data.append('csrf', csrf);
    Object.keys(description).forEach((name) => data.append(name, description[name]));
    data.append('file', file);
    return fetch('/redaction/medias', { method: 'POST', body: data, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then((response) => {
        if (!response.ok) throw new Error(refusals[response.status] || t.uploadFailed(response.status));
        return response.json();
      });
  }

  // An image: a new one (from the button, a paste or a drop) is uploaded with its description;
  // one already in the text has its description changed where it stands.
  // A figure placed in the text: in the rich mode where the cursor is (or first, for the lead
  // image), in the Markdown field as its line.
  function placeFigure(attrs, lead) {
    if (mode === 'rich') {
      rich.insertFigure(attrs, undefined, lead);
      return;
    }
    const title = attrs.title ? ` "${attrs.title.replace(/["\\]/g, '\\$&')}"` : '';
    const line = `![${attrs.alt.replace(/[[\]\\]/g, '\\$&')}](${attrs.src}${title})`;
    if (lead) {
      body.value = `${line}\n\n${body.value.replace(/^\s+/, '')}`;
    } else {
      const at = body.selectionEnd;
      body.setRangeText(`\n\n${line}\n\n`, at, at, 'end');
    }
    changed();
  }

  // The library's images, searchable, for a dialog to pick one from instead of sending a file.
  function libraryPicker(asked) {
    const box = document.createElement('fieldset');
    box.className = 'library-picker';
    const legend = document.createElement('legend');
    legend.textContent = t.fromLibrary;
    const label = document.createElement('label');
    label.htmlFor = 'dialog-library-search';
    label.textContent = t.searchLibrary;
    const search = document.createElement('input');
    search.type = 'search';
    search.id = 'dialog-library-search';
    const list = document.createElement('ul');
    list.className = 'library-choices';
    box.append(legend, label, search, list);
    let chosen = null;
    const fill = (input, value) => { if (input && !input.value.trim() && value) input.value = value; };
    function show(items) {
      list.replaceChildren(...items.map((item) => {
        const entry = document.createElement('li');
        const choice = document.createElement('label');
        const radio = document.createElement('input');
        radio.type = 'radio';
        radio.name = 'library';
        radio.value = item.key;
        radio.addEventListener('change', () => {
          chosen = item;
          fill(asked.inputs.alt, item.alt);
          fill(asked.inputs.caption, item.caption);
          fill(asked.inputs.credit, item.credit);
        });
        const thumb = document.createElement('img');
        const smallest = (item.picture.srcset || '').split(',')[0].trim().split(' ')[0];
        thumb.src = smallest || item.picture.src;
        thumb.alt = '';
        thumb.loading = 'lazy';
        const words = document.createElement('span');
        words.textContent = item.alt || item.name || t.noDescription;
        choice.append(radio, thumb, words);
        entry.append(choice);
        return entry;
      }));
      if (!items.length) list.textContent = t.nothingInLibrary;
    }
    function load(words) {
      fetch(`/redaction/medias?q=${encodeURIComponent(words)}`, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then((response) => (response.ok ? response.json() : { items: [] }))
        .then((data) => show(data.items.slice(0, 12)))
        .catch(() => show([]));
    }
    let timer = null;
    search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => load(search.value.trim()), 300);
    });
    load('');
    return { box, chosen: () => chosen };
  }

  // An image: a new one (from the button, a paste or a drop) is uploaded with its description,
  // or picked from the library; one already in the text has its description changed where it
  // stands. `lead`: the story's lead image, its first figure.
  function askImage({ file, pos, node, lead }) {
    const editing = node !== undefined;
    const [caption, credit] = editing ? splitTitle(node.attrs.title || '') : ['', ''];
    const fields = [];
    if (!editing) fields.push({ name: 'file', label: file ? t.pastedImage(file.name) : t.imageFile, type: 'file', accept: 'image/jpeg,image/png,image/webp,image/gif' });
    fields.push(
      { name: 'alt', label: t.alt, hint: t.altHint, multiline: true, required: true, value: editing ? node.attrs.alt || '' : '' },
      { name: 'caption', label: t.caption, type: 'text', value: caption },
      { name: 'credit', label: t.credit, type: 'text', value: credit },
    );
    const title = editing ? t.describeImage : lead ? t.leadImageTitle : t.addImage;
    const asked = dialog(title, fields, editing ? t.saveDescription : t.insertImage);
    if (file) asked.inputs.file.hidden = true;
    const picker = editing || file ? null : libraryPicker(asked);
    if (picker) asked.inputs.file.parentNode.after(picker.box);
    asked.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const alt = asked.inputs.alt.value.trim();
      const chosen = file || (asked.inputs.file && asked.inputs.file.files[0]);
      const picked = picker && !chosen ? picker.chosen() : null;
      if (!editing && !chosen && !picked) { asked.fail(t.chooseImage); return; }
      if (!alt) {
        asked.inputs.alt.setAttribute('aria-invalid', 'true');
        asked.fail(t.altNeeded);
        asked.inputs.alt.focus();
        return;
      }
      const figureTitle = joinTitle(asked.inputs.caption.value, asked.inputs.credit.value);
      if (editing) {
        asked.box.close();
        rich.insertFigure({ ...node.attrs, alt, title: figureTitle }, pos);
        return;
      }
      if (picked) {
        asked.box.close();
        placeFigure({ src: `media:${picked.key}`, alt, title: figureTitle }, lead);
        say(t.imageAdded);
        return;
      }
      asked.ok.disabled = true;
      asked.fail(t.sending(chosen.name));
      upload(chosen, { alt, caption: asked.inputs.caption.value, credit: asked.inputs.credit.value })
        .then((image) => {
          asked.box.close();
          placeFigure({ src: `media:${image.key}`, alt, title: figureTitle }, lead);
          say(t.imageAdded);
        })
        .catch((error) => { asked.ok.disabled = false; asked.fail(t.imageRefused(error.message)); });
    });
    return asked.closed;
  }

  // Images taken from the Markdown field's drop, as before the rich mode.
  body.addEventListener('dragover', (event) => {
    if (event.dataTransfer && Array.prototype.includes.call(event.dataTransfer.types, 'Files')) {
      event.preventDefault();
      body.classList.add('dropping');
    }
  });
  body.addEventListener('dragleave', () => body.classList.remove('dropping'));
  body.addEventListener('drop', (event) => {
    body.classList.remove('dropping');
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    Array.from(event.dataTransfer.files).reduce((asked, file) => asked.then(() => askImage({ file })), Promise.resolve());
  });
  rich.dom.addEventListener('paste', () => {
    // Images that came as data inside pasted HTML are read once ProseMirror has parsed it.
    setTimeout(() => takePastedImages().reduce((asked, file) => asked.then(() => askImage({ file })), Promise.resolve()), 0);
  });

  const uploadForm = document.querySelector('form[data-upload]');
  if (uploadForm) {
    uploadForm.addEventListener('submit', (event) => {
      const input = uploadForm.querySelector('input[type=file]');
      if (!input.files.length) return;
      event.preventDefault();
      const description = {
        alt: uploadForm.querySelector('[name=alt]').value,
        caption: uploadForm.querySelector('[name=caption]').value,
        credit: uploadForm.querySelector('[name=credit]').value,
      };
      say(t.sending(input.files[0].name));
      upload(input.files[0], description)
        .then((image) => {
          const alt = description.alt.trim();
          const title = joinTitle(description.caption, description.credit);
          if (mode === 'rich') rich.insertFigure({ src: `media:${image.key}`, alt, title });
          else {
            const at = body.selectionEnd;
            body.setRangeText(`\n\n${image.markdown}\n\n`, at, at, 'end');
            changed();
          }
          uploadForm.reset();
          say(alt ? t.imageAdded : t.imageAddedDescribe);
        })
        .catch((error) => say(t.imageRefused(error.message)));
    });
  }

  // A refusal's link to the text leads to whichever mode shows it.
  document.querySelectorAll('a[href="#body"]').forEach((link) => {
    link.addEventListener('click', (event) => {
      if (mode !== 'rich') return;
      event.preventDefault();
      rich.view.focus();
    });
  });

  // The Markdown field's own shortcuts: the same keys as the rich mode.
  body.addEventListener('keydown', (event) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const tool = { b: 'bold', i: 'italic', k: 'link' }[event.key.toLowerCase()];
    const found = tool && tools.find((candidate) => candidate.id === tool);
    if (!found) return;
    event.preventDefault();
    typeMarkdown(...found.md);
  });

  // The toolbar is one stop for Tab; the arrow keys, Home and End move within it.
  const reachable = () => toolButtons.map(({ button }) => button).concat(Object.values(modeButtons)).filter((button) => !button.disabled);
  function rove(target) {
    reachable().forEach((button) => { button.tabIndex = button === target ? 0 : -1; });
  }
  rove(reachable()[0]);
  bar.addEventListener('focusin', (event) => { if (event.target instanceof HTMLButtonElement) rove(event.target); });
  bar.addEventListener('keydown', (event) => {
    const buttons = reachable();
    const at = buttons.indexOf(document.activeElement);
    if (at < 0) return;
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const button = buttons[(next + buttons.length) % buttons.length];
    rove(button);
    button.focus();
  });

  // Counts, as a desk reads them: words, characters with spaces, reading time.
  let countTimer = null;
  function recount() {
    countLine.textContent = counts(mode === 'rich' ? rich.view.state.doc.textBetween(0, rich.view.state.doc.content.size, ' ', ' ') : body.value);
  }
  recount();

  const fields = () => new URLSearchParams(new FormData(form));

  function keepLocally() {
    try { localStorage.setItem(draftKey, JSON.stringify({ at: Date.now(), values: Object.fromEntries(fields()) })); } catch (e) { /* storage full or disabled */ }
  }

  // A copy from this browser that differs from the server's text is offered back.
  try {
    const kept = JSON.parse(localStorage.getItem(draftKey) || 'null');
    if (kept && kept.values && kept.values.body && kept.values.body !== body.value) {
      const offer = document.createElement('p');
      offer.className = 'form-warning';
      offer.setAttribute('role', 'status');
      offer.textContent = t.keptCopy;
      const restore = document.createElement('button');
      restore.type = 'button';
      restore.textContent = t.takeBack;
      restore.addEventListener('click', () => {
        ['headline', 'standfirst', 'body', 'section', 'kind', 'tags', 'authors', 'sources', 'claim_text', 'claim_author', 'claim_rating', 'search_headline', 'social_headline', 'social_description'].forEach((name) => {
          const field = form.elements[name];
          if (field && kept.values[name] !== undefined) field.value = kept.values[name];
        });
        rich.load();
        offer.remove();
        changed();
      });
      const forget = document.createElement('button');
      forget.type = 'button';
      forget.className = 'secondary';
      forget.textContent = t.forget;
      forget.addEventListener('click', () => {
        try { localStorage.removeItem(draftKey); } catch (e) { /* ignore */ }
        offer.remove();
      });
      offer.append(restore, ' ', forget);
      form.parentNode.insertBefore(offer, form);
    }
  } catch (e) { /* no storage */ }

  let previewTimer = null;
  const preview = document.getElementById('live-preview');
  function refreshPreview() {
    if (!preview || !previewUrl) return;
    fetch(previewUrl, { method: 'POST', body: fields(), credentials: 'same-origin' })
      .then((r) => (r.ok ? r.text() : null))
      .then((html) => { if (html !== null) preview.innerHTML = html; })
      .catch(() => { /* the next keystroke tries again */ });
  }

  // The copy in this browser follows the typing within a second (and at once when the page is
  // hidden), not at every keystroke.
  let keepTimer = null;
  function changed() {
    dirty = true;
    say(manualSave ? t.unsavedPublished : t.unsaved);
    clearTimeout(keepTimer);
    keepTimer = setTimeout(keepLocally, 1000);
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, 800);
    clearTimeout(countTimer);
    countTimer = setTimeout(recount, 300);
  }
  form.addEventListener('input', (event) => { if (!rich.dom.contains(event.target)) changed(); });

  // One save at a time. `inFlight` is the save under way: a form sent meanwhile waits for it, so
  // that it carries the revision it made and the two never race each other into a conflict.
  let inFlight = null;

  function afterSave(r) {
    if (r.type === 'opaqueredirect' || r.status === 401 || r.status === 303) {
      dirty = true;
      say(t.sessionExpired);
      return false;
    }
    return r.json().then((reply) => {
      if (reply.status === 'saved') {
        form.elements.base_revision.value = reply.base_revision;
        // The workflow buttons act on the text just saved, which is the text on screen.
        document.querySelectorAll('input[name="revision"]').forEach((input) => { input.value = reply.base_revision; });
        if (!dirty) { try { localStorage.removeItem(draftKey); } catch (e) { /* ignore */ } }
        say(t.savedAt(now()));
        return true;
      }
      dirty = true;
      say(reply.status === 'conflict' ? t.conflict : t.notSaved((reply.messages || []).join(' ')));
      return false;
    });
  }

  // Saves the text on screen; resolves to whether it is saved. `leaving`: the page is being
  // hidden or left, so the request must outlive it (within the browser's 64 KB for such requests).
  function autosave(leaving) {
    if (inFlight) {
      if (leaving) inFlight.then(() => autosave(true));
      return inFlight;
    }
    if (!dirty || !autosaveUrl) return Promise.resolve(!dirty);
    dirty = false;
    const data = fields();
    const options = { method: 'POST', body: data, credentials: 'same-origin', redirect: 'manual' };
    if (leaving && data.toString().length < 60000) options.keepalive = true;
    inFlight = fetch(autosaveUrl, options)
      .then(afterSave)
      .catch(() => { dirty = true; say(t.offline); return false; })
      .finally(() => { inFlight = null; });
    return inFlight;
  }

  // Saves until what is on screen is saved (typing may go on while a save is under way).
  function settle() {
    return autosave(false).then((saved) => (saved && dirty ? settle() : saved));
  }

  // Under manual saving, the text is kept in this browser meanwhile, and leaving the page with
  // changes asks first.
  if (!manualSave) setInterval(() => autosave(false), 5000);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden' && dirty) {
      keepLocally();
      if (!manualSave) autosave(true);
    }
  });
  // A form being sent is the page leaving on purpose.
  let submitting = false;
  document.addEventListener('submit', () => { submitting = true; }, true);
  window.addEventListener('beforeunload', (event) => {
    if (manualSave && dirty && !submitting) event.preventDefault();
  });
  // A form the server sent back (a refusal, a conflict) holds text that is not saved: it is
  // kept in this browser, and under manual saving leaving asks first.
  if (document.querySelector('.form-error[role=alert]')) {
    keepLocally();
    if (manualSave) dirty = true;
  }
  // « Voir en grand » shows the saved text: what is on screen is saved first.
  document.querySelectorAll('a[href$="/apercu"]').forEach((link) => {
    link.addEventListener('click', (event) => {
      if (manualSave || (!dirty && !inFlight)) return;
      event.preventDefault();
      settle().then(() => window.location.assign(link.href));
    });
  });

  // « Enregistrer » carries the text itself: once sent, the page has nothing left to save on
  // leaving (« Aperçu » saves nothing: the page goes on saving). If a save is under way, the
  // form waits for it and goes with the revision it made.
  let waited = false;
  form.addEventListener('submit', (event) => {
    if (inFlight && !waited) {
      event.preventDefault();
      const submitter = event.submitter;
      inFlight.then(() => { waited = true; form.requestSubmit(submitter); });
      return;
    }
    waited = false;
    if (event.submitter && event.submitter.value === 'preview') return;
    dirty = false;
    clearTimeout(keepTimer);
    try { localStorage.removeItem(draftKey); } catch (e) { /* ignore */ }
  });

  // Sending for review, publishing and scheduling apply to the saved text: the text on screen
  // is saved first, so the action takes it, and a refusal shows it as typed. If it cannot be
  // saved, the action is not sent, and the writer is told why.
  const takesText = ['submit', 'publish', 'schedule'];
  document.querySelectorAll('section.workflow form').forEach((actionForm) => {
    const action = actionForm.querySelector('input[name="action"]');
    if (!action || !takesText.includes(action.value)) return;
    let ready = false;
    actionForm.addEventListener('submit', (event) => {
      if (ready || !autosaveUrl || (!dirty && !inFlight)) return;
      event.preventDefault();
      const submitter = event.submitter;
      say(t.savingFirst);
      settle().then((saved) => {
        if (!saved) {
          submitting = false;
          say(`${state ? `${state.textContent} ` : ''}${t.actionNotDone}`);
          return;
        }
        ready = true;
        actionForm.requestSubmit(submitter);
      });
    });
  });
}
