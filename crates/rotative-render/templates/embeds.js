// Click-to-load for videos and social posts in stories. Nothing from the provider loads until
// the reader asks: then, and only then, its frame replaces the placeholder. The page's
// Content-Security-Policy allows frames from those providers alone.
(function () {
  'use strict';
  var allowed = /^https:\/\/(www\.youtube-nocookie\.com\/embed\/|player\.vimeo\.com\/video\/|www\.dailymotion\.com\/embed\/video\/|platform\.twitter\.com\/embed\/|embed\.bsky\.app\/embed\/|[a-z0-9.-]+\/@[A-Za-z0-9_-]+\/[0-9]+\/embed$)/;
  document.querySelectorAll('figure.embed[data-embed-src]').forEach(function (figure) {
    var src = figure.getAttribute('data-embed-src');
    if (!allowed.test(src)) return;
    var title = figure.getAttribute('data-embed-title') || 'Contenu externe';
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'embed-load';
    button.textContent = 'Afficher ici : ' + title;
    button.addEventListener('click', function () {
      var frame = document.createElement('iframe');
      frame.src = src;
      frame.title = title;
      frame.loading = 'lazy';
      frame.allowFullscreen = true;
      frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-popups allow-presentation');
      frame.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
      figure.replaceChildren(frame);
      frame.focus();
    });
    var placeholder = figure.querySelector('.embed-placeholder');
    (placeholder || figure).appendChild(button);
  });
})();
