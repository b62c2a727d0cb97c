// The story editor, improved when JavaScript runs: a formatting toolbar, a live preview rendered
// by the server, autosave every few seconds and on leave, and a copy of the text kept in this
// browser so nothing typed is lost if the session ends. Without JavaScript the form works as is.
(function () {
  'use strict';
  var form = document.querySelector('form.editor');
  if (!form) return;
  var body = form.querySelector('#body');
  var state = document.getElementById('save-state');
  var autosaveUrl = form.getAttribute('data-autosave');
  var previewUrl = form.getAttribute('data-preview');
  var draftKey = 'rotative-draft:' + (form.getAttribute('data-story') || 'nouveau');
  var dirty = false;

  function say(text) { if (state) state.textContent = text; }
  function now() {
    var d = new Date();
    return d.getHours() + ' h ' + String(d.getMinutes()).padStart(2, '0');
  }

  // Toolbar: each button wraps the selection or prefixes the selected lines.
  var tools = [
    ['Gras', '**', '**', 'texte en gras'],
    ['Italique', '_', '_', 'texte en italique'],
    ['Lien', '[', '](https://)', 'texte du lien'],
    ['Intertitre', '\n## ', '\n', 'Intertitre'],
    ['Citation', '\n> ', '\n>\n> — Source\n', 'Citation'],
    ['Liste', '\n- ', '\n', 'élément'],
    ['Figure', '\n![', '](media:CLÉ "Légende — Crédit")\n', 'description de l’image'],
  ];
  var bar = document.createElement('div');
  bar.className = 'toolbar';
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', 'Mise en forme du texte');
  bar.setAttribute('aria-controls', 'body');
  tools.forEach(function (tool) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary';
    button.textContent = tool[0];
    button.addEventListener('click', function () {
      var start = body.selectionStart, end = body.selectionEnd;
      var selected = body.value.slice(start, end) || tool[3];
      var insert = tool[1] + selected + tool[2];
      body.setRangeText(insert, start, end, 'select');
      body.focus();
      changed();
    });
    bar.appendChild(button);
  });
  body.parentNode.insertBefore(bar, body);

  function fields() { return new URLSearchParams(new FormData(form)); }

  function keepLocally() {
    try { localStorage.setItem(draftKey, JSON.stringify({ at: Date.now(), values: Object.fromEntries(fields()) })); } catch (e) { /* storage full or disabled */ }
  }

  // A copy from this browser that differs from the server's text is offered back.
  try {
    var kept = JSON.parse(localStorage.getItem(draftKey) || 'null');
    if (kept && kept.values && kept.values.body && kept.values.body !== body.value) {
      var offer = document.createElement('p');
      offer.className = 'form-error';
      offer.setAttribute('role', 'alert');
      offer.textContent = 'Une version non enregistrée de ce texte est gardée dans ce navigateur. ';
      var restore = document.createElement('button');
      restore.type = 'button';
      restore.textContent = 'La reprendre';
      restore.addEventListener('click', function () {
        ['headline', 'standfirst', 'body', 'section', 'tags', 'authors', 'sources'].forEach(function (name) {
          var field = form.elements[name];
          if (field && kept.values[name] !== undefined) field.value = kept.values[name];
        });
        offer.remove();
        changed();
      });
      offer.appendChild(restore);
      form.parentNode.insertBefore(offer, form);
    }
  } catch (e) { /* no storage */ }

  var previewTimer = null;
  var preview = document.getElementById('live-preview');
  function refreshPreview() {
    if (!preview || !previewUrl) return;
    fetch(previewUrl, { method: 'POST', body: fields(), credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) preview.innerHTML = html; })
      .catch(function () { /* the next keystroke tries again */ });
  }

  function changed() {
    dirty = true;
    say('Modifications non enregistrées');
    keepLocally();
    clearTimeout(previewTimer);
    previewTimer = setTimeout(refreshPreview, 800);
  }
  form.addEventListener('input', changed);

  // One save at a time. `inFlight` is the save under way: a form sent meanwhile waits for it, so
  // that it carries the revision it made and the two never race each other into a conflict.
  var inFlight = null;

  function afterSave(r) {
    if (r.type === 'opaqueredirect' || r.status === 401 || r.status === 303) {
      dirty = true;
      say('Votre session a expiré : le texte est gardé dans ce navigateur. Reconnectez-vous dans un autre onglet, puis revenez ici.');
      return false;
    }
    return r.json().then(function (reply) {
      if (reply.status === 'saved') {
        form.elements.base_revision.value = reply.base_revision;
        // The workflow buttons act on the text just saved, which is the text on screen.
        document.querySelectorAll('input[name="revision"]').forEach(function (input) {
          input.value = reply.base_revision;
        });
        if (!dirty) { try { localStorage.removeItem(draftKey); } catch (e) { /* ignore */ } }
        say('Enregistré à ' + now());
        return true;
      }
      dirty = true;
      if (reply.status === 'conflict') {
        say('Quelqu’un d’autre a enregistré cet article : cliquez sur « Enregistrer » pour voir les différences. Votre texte est gardé.');
      } else {
        say('Non enregistré : ' + (reply.messages || []).join(' '));
      }
      return false;
    });
  }

  // Saves the text on screen; resolves to whether it is saved. `leaving`: the page is being
  // hidden or left, so the request must outlive it (within the browser's 64 KB for such requests).
  function autosave(leaving) {
    if (inFlight) {
      if (leaving) inFlight.then(function () { autosave(true); });
      return inFlight;
    }
    if (!dirty || !autosaveUrl) return Promise.resolve(!dirty);
    dirty = false;
    var data = fields();
    var options = { method: 'POST', body: data, credentials: 'same-origin', redirect: 'manual' };
    if (leaving && data.toString().length < 60000) options.keepalive = true;
    inFlight = fetch(autosaveUrl, options)
      .then(afterSave)
      .catch(function () { dirty = true; say('Hors ligne : le texte est gardé dans ce navigateur.'); return false; })
      .finally(function () { inFlight = null; });
    return inFlight;
  }

  // Saves until what is on screen is saved (typing may go on while a save is under way).
  function settle() {
    return autosave(false).then(function (saved) { return saved && dirty ? settle() : saved; });
  }

  setInterval(function () { autosave(false); }, 5000);
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden' && dirty) {
      keepLocally();
      autosave(true);
    }
  });

  // « Enregistrer » carries the text itself: once sent, the page has nothing left to save on
  // leaving (« Aperçu » saves nothing: the page goes on saving). If a save is under way, the
  // form waits for it and goes with the revision it made.
  var released = false;
  form.addEventListener('submit', function (event) {
    if (inFlight && !released) {
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () { released = true; form.requestSubmit(submitter); });
      return;
    }
    released = false;
    if (event.submitter && event.submitter.value === 'preview') return;
    dirty = false;
    try { localStorage.removeItem(draftKey); } catch (e) { /* ignore */ }
  });

  // Sending for review, publishing and scheduling apply to the saved text: the text on screen
  // is saved first, so the action takes it, and a refusal shows it as typed. If it cannot be
  // saved, the action is not sent, and the writer is told why.
  var takesText = ['submit', 'publish', 'schedule'];
  document.querySelectorAll('section.workflow form').forEach(function (actionForm) {
    var action = actionForm.querySelector('input[name="action"]');
    if (!action || takesText.indexOf(action.value) < 0) return;
    var ready = false;
    actionForm.addEventListener('submit', function (event) {
      if (ready || !autosaveUrl || (!dirty && !inFlight)) return;
      event.preventDefault();
      var submitter = event.submitter;
      say('Enregistrement du texte avant de continuer…');
      settle().then(function (saved) {
        if (!saved) {
          say((state ? state.textContent + ' ' : '') + 'L’action n’a pas été faite.');
          return;
        }
        ready = true;
        actionForm.requestSubmit(submitter);
      });
    });
  });

  // Images: dropped on the text, or sent with the upload form, go to the library without leaving
  // the page; the line that shows them is inserted where the cursor is.
  var uploadForm = document.querySelector('form[data-upload]');
  var refusals = {
    413: 'l’image dépasse la taille maximale.',
    415: 'ce fichier n’est pas une image JPEG, PNG, WebP ou GIF.',
    422: 'l’image est endommagée, trop grande en pixels, ou sa description est trop longue.'
  };
  function upload(file, extra) {
    var data = new FormData();
    data.append('csrf', form.querySelector('input[name=csrf]').value);
    Object.keys(extra || {}).forEach(function (name) { data.append(name, extra[name]); });
    data.append('file', file);
    say('Envoi de « ' + file.name + ' »…');
    return fetch('/redaction/medias', { method: 'POST', body: data, headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error(refusals[response.status] || 'l’envoi a échoué (' + response.status + ').');
        return response.json();
      })
      .then(function (image) {
        var at = body.selectionEnd;
        body.setRangeText('\n\n' + image.markdown + '\n\n', at, at, 'end');
        changed();
        say('Image ajoutée. Décrivez-la si ce n’est pas fait : la publication attend son texte alternatif.');
      })
      .catch(function (error) { say('Image refusée : ' + error.message); });
  }
  body.addEventListener('dragover', function (event) {
    if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, 'Files') >= 0) {
      event.preventDefault();
      body.classList.add('dropping');
    }
  });
  body.addEventListener('dragleave', function () { body.classList.remove('dropping'); });
  body.addEventListener('drop', function (event) {
    body.classList.remove('dropping');
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    Array.prototype.forEach.call(event.dataTransfer.files, function (file) { upload(file); });
  });
  if (uploadForm) {
    uploadForm.addEventListener('submit', function (event) {
      var input = uploadForm.querySelector('input[type=file]');
      if (!input.files.length) return;
      event.preventDefault();
      upload(input.files[0], {
        alt: uploadForm.querySelector('[name=alt]').value,
        caption: uploadForm.querySelector('[name=caption]').value,
        credit: uploadForm.querySelector('[name=credit]').value
      }).then(function () { uploadForm.reset(); });
    });
  }
})();
