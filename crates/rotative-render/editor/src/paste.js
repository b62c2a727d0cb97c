// What is pasted from Word, Google Docs or LibreOffice, cleaned to what a story body holds:
// headings, emphasis, links, lists, quotations. Styles, spans, comments, scripts and tracking
// links go; the server's sanitiser still has the last word on whatever is saved.

const DROPPED = 'script, style, meta, link, title, head, template, iframe, object, embed, svg, math, form, input, button, select, textarea, video, audio, canvas, noscript, xml';
// What survives of an element: its meaning, never its looks (`pre.raw-markdown` is the rich
// mode's own Markdown block, cut and pasted within the editor).
const KEPT_ATTRIBUTES = { A: ['href'], OL: ['start'], IMG: ['src', 'alt', 'title'], PRE: ['class'] };
const TRACKING = /^(utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|igshid|_hsenc|_hsmi)$/;

let pastedImages = [];

/** Images that came inside pasted HTML as data (not as links elsewhere): to be uploaded. */
export function takePastedImages() {
  const images = pastedImages;
  pastedImages = [];
  return images;
}

/** A link target a story may keep: the web or mail, never `javascript:` and the like. */
export function safeHref(href) {
  let text = (href || '').trim();
  if (/^mailto:[^\s<>"]+$/i.test(text)) return text;
  // « www.exemple.fr » typed without its scheme is the web address it looks like.
  if (/^www\.[^\s/]+\.[^\s]+$/i.test(text)) text = `https://${text}`;
  // Anything else without a scheme must be one of the site's own pages.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(text) && !text.startsWith('/')) return null;
  let url;
  try {
    url = new URL(text, window.location.origin);
  } catch (e) {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return url.origin === window.location.origin && text.startsWith('/') ? url.pathname + url.search + url.hash : url.href;
}

/** Undoes redirect wrappers (Google's `/url?q=`) and drops tracking parameters. */
export function unwrapLink(href) {
  let url;
  try {
    url = new URL(href);
  } catch (e) {
    return null;
  }
  const host = url.hostname.replace(/^www\./, '');
  if (/^google\.[a-z.]+$/.test(host) && url.pathname === '/url') {
    const target = url.searchParams.get('q') || url.searchParams.get('url');
    return target ? unwrapLink(target) : null;
  }
  for (const name of [...url.searchParams.keys()]) if (TRACKING.test(name)) url.searchParams.delete(name);
  return safeHref(url.href);
}

function styleOf(element) {
  return (element.getAttribute('style') || '').toLowerCase().replace(/\s+/g, '');
}

/** Word and Google Docs mark emphasis with styles on spans: made into the elements they mean. */
function emphasisFromStyles(root) {
  // Anchored at a declaration's start: Word's `mso-bidi-font-weight:normal` says nothing of
  // the weight readers see.
  for (const element of root.querySelectorAll('span, p, li, td, font')) {
    const style = styleOf(element);
    const wrappers = [];
    if (/(^|;)font-weight:(bold|[6-9]00)/.test(style)) wrappers.push('strong');
    if (/(^|;)font-style:italic/.test(style)) wrappers.push('em');
    if (/(^|;)text-decoration(-line)?:[^;]*line-through/.test(style)) wrappers.push('s');
    for (const tag of wrappers) {
      const wrapper = root.ownerDocument.createElement(tag);
      wrapper.append(...element.childNodes);
      element.append(wrapper);
    }
  }
  // Google Docs wraps a whole copy in `<b style="font-weight:normal">`, which is not bold.
  for (const bold of root.querySelectorAll('b')) {
    if (/(^|;)font-weight:(normal|[1-4]00)/.test(styleOf(bold))) bold.replaceWith(...bold.childNodes);
  }
}

/** Word's quotation styles, made into quotations. */
function wordQuotes(root) {
  for (const paragraph of root.querySelectorAll('p.MsoQuote, p.MsoIntenseQuote')) {
    const quote = root.ownerDocument.createElement('blockquote');
    paragraph.before(quote);
    quote.append(paragraph);
  }
}

/**
 * Word pastes lists as paragraphs with a typed bullet and a level (`mso-list:l0 level2 lfo1`):
 * made into real lists, nested as the levels say.
 */
function wordLists(root) {
  const items = [...root.querySelectorAll('p')].filter((p) => /mso-list:/.test(styleOf(p)) || /^MsoListParagraph/.test(p.className));
  // The lists open from the outermost in, each with the Word level it holds.
  let open = [];
  let outermost = null;
  for (const paragraph of items) {
    const marker = [...paragraph.querySelectorAll('span')].find((span) => /mso-list:ignore/.test(styleOf(span)));
    const ordered = marker ? /^\s*\(?[0-9a-z]+[.)]/i.test(marker.textContent) : false;
    if (marker) marker.remove();
    const level = Number((/mso-list:[^;]*?level(\d+)/.exec(styleOf(paragraph)) || [])[1] || 1);
    // A list goes on only where its last item was; anything between starts a new one.
    if (!outermost || paragraph.previousElementSibling !== outermost) open = [];
    while (open.length > 1 && open[open.length - 1].level > level) open.pop();
    // A list that began deeper than it goes on (a copy started inside a sub-list) stays one list.
    if (open.length === 1 && open[0].level > level) open[0].level = level;
    const tag = ordered ? 'OL' : 'UL';
    let innermost = open[open.length - 1];
    if (!innermost || innermost.level < level || innermost.list.tagName !== tag) {
      const list = root.ownerDocument.createElement(tag);
      if (innermost && innermost.level === level) {
        innermost.list.after(list);
        open.pop();
      } else if (innermost) {
        innermost.list.lastElementChild.append(list);
      } else {
        paragraph.before(list);
      }
      innermost = { list, level };
      open.push(innermost);
    }
    if (open.length === 1) outermost = innermost.list;
    const item = root.ownerDocument.createElement('li');
    item.append(...paragraph.childNodes);
    innermost.list.append(item);
    paragraph.remove();
  }
}

/**
 * Google Docs nests a list as the sibling of the item it belongs to (`<ol><li>…</li><ul>…</ul>`):
 * moved into that item, where lists hold their sub-lists.
 */
function listsInItems(root) {
  for (const list of root.querySelectorAll('ul > ul, ul > ol, ol > ul, ol > ol')) {
    const item = list.previousElementSibling;
    if (item && item.tagName === 'LI') {
      item.append(list);
    } else {
      const wrapper = root.ownerDocument.createElement('li');
      list.before(wrapper);
      wrapper.append(list);
    }
  }
}

/** A pasted table, as the Markdown table a story body holds (shown as Markdown source). */
function tablesAsMarkdown(root) {
  for (const table of root.querySelectorAll('table')) {
    const rows = [...table.querySelectorAll('tr')]
      .map((row) => [...row.children].map((cell) => cell.textContent.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|')))
      .filter((cells) => cells.length > 0);
    if (rows.length === 0) {
      table.remove();
      continue;
    }
    const width = Math.max(...rows.map((cells) => cells.length));
    const line = (cells) => `| ${Array.from({ length: width }, (_, i) => cells[i] || '').join(' | ')} |`;
    const text = [line(rows[0]), line(Array(width).fill('---')), ...rows.slice(1).map(line)].join('\n');
    const block = root.ownerDocument.createElement('pre');
    block.className = 'raw-markdown';
    block.textContent = text;
    table.replaceWith(block);
  }
}

function dataImage(source) {
  const match = /^data:(image\/(png|jpeg|gif|webp));base64,([A-Za-z0-9+/=\s]+)$/.exec(source);
  if (!match) return null;
  let bytes;
  try {
    bytes = Uint8Array.from(atob(match[3].replace(/\s+/g, '')), (c) => c.charCodeAt(0));
  } catch (e) {
    return null;
  }
  return new File([bytes], `image-collee.${match[2] === 'jpeg' ? 'jpg' : match[2]}`, { type: match[1] });
}

function removeComments(doc) {
  const walker = doc.createTreeWalker(doc, NodeFilter.SHOW_COMMENT);
  const comments = [];
  while (walker.nextNode()) comments.push(walker.currentNode);
  comments.forEach((comment) => comment.remove());
}

/**
 * The pasted HTML, cleaned: what ProseMirror then reads through the body's schema. Should the
 * cleaning itself fail, the words alone are pasted, never the HTML as it came.
 */
export function cleanPastedHtml(html) {
  pastedImages = [];
  try {
    return cleaned(html);
  } catch (e) {
    const words = document.createElement('p');
    words.textContent = new DOMParser().parseFromString(html, 'text/html').body.textContent || '';
    return words.outerHTML;
  }
}

function cleaned(html) {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const root = doc.body;
  removeComments(doc);
  root.querySelectorAll(DROPPED).forEach((element) => element.remove());
  // Word's namespaced elements (`<o:p>`, `<v:shape>`…) hold nothing a story needs.
  [...root.getElementsByTagName('*')].filter((element) => element.tagName.includes(':')).forEach((element) => element.replaceWith(...element.childNodes));
  tablesAsMarkdown(root);
  emphasisFromStyles(root);
  wordLists(root);
  listsInItems(root);
  wordQuotes(root);
  for (const image of root.querySelectorAll('img')) {
    const source = image.getAttribute('src') || '';
    // The site's own images (cut and pasted within the editor) stay where they were.
    if (source.startsWith('media:')) continue;
    const file = dataImage(source);
    if (file) pastedImages.push(file);
    // Remote images are never fetched: readers' browsers call no one but the site.
    image.remove();
  }
  for (const link of root.querySelectorAll('a')) {
    const href = link.hasAttribute('href') ? unwrapLink(link.getAttribute('href')) : null;
    if (href) link.setAttribute('href', href);
    else link.replaceWith(...link.childNodes);
  }
  for (const heading of root.querySelectorAll('h1, h5, h6')) {
    const level = heading.tagName === 'H1' ? 'h2' : 'h4';
    const replacement = doc.createElement(level);
    replacement.append(...heading.childNodes);
    heading.replaceWith(replacement);
  }
  // Line breaks between blocks (Google Docs puts one between a paragraph and a list) are not
  // paragraphs of their own.
  [...root.children].filter((element) => element.tagName === 'BR').forEach((br) => br.remove());
  for (const element of root.querySelectorAll('*')) {
    const keep = KEPT_ATTRIBUTES[element.tagName] || [];
    for (const attribute of [...element.attributes]) {
      if (!keep.includes(attribute.name)) element.removeAttribute(attribute.name);
    }
    if (element.tagName === 'PRE' && element.className !== 'raw-markdown') element.removeAttribute('class');
  }
  // Lists from documents are written without blank lines between items.
  root.querySelectorAll('ul, ol').forEach((list) => list.setAttribute('data-tight', 'true'));
  return root.innerHTML;
}
