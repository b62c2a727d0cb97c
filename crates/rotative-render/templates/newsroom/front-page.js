// Drag and drop over the front page's plain form, which works without it: a slot dropped on
// another swaps their stories and times; a section dropped on another takes its place in the
// blocks, and the blocks shown are numbered again in their new order. Nothing is saved until
// the form is sent.
(function () {
  'use strict';
  var form = document.querySelector('form.front-page');
  if (!form) return;
  var status = form.querySelector('.front-page-status');
  var dragged = null;

  function named(item) {
    var label = item.querySelector('legend, label');
    return label ? label.textContent.trim() : '';
  }

  function droppable(item, onDrop) {
    item.setAttribute('draggable', 'true');
    item.classList.add('draggable');
    item.addEventListener('dragstart', function (event) {
      dragged = item;
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', item.id);
      item.classList.add('dragging');
    });
    item.addEventListener('dragend', function () {
      item.classList.remove('dragging');
      dragged = null;
    });
    item.addEventListener('dragover', function (event) {
      if (!dragged || dragged === item || dragged.parentNode !== item.parentNode) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      item.classList.add('drop-target');
    });
    item.addEventListener('dragleave', function () {
      item.classList.remove('drop-target');
    });
    item.addEventListener('drop', function (event) {
      item.classList.remove('drop-target');
      if (!dragged || dragged === item || dragged.parentNode !== item.parentNode) return;
      event.preventDefault();
      status.textContent = onDrop(dragged, item) + ' Enregistrez la une pour la publier.';
    });
  }

  function swapSlots(from, to) {
    ['select', 'input'].forEach(function (selector) {
      var one = from.querySelector(selector);
      var other = to.querySelector(selector);
      var value = one.value;
      one.value = other.value;
      other.value = value;
    });
    return named(from) + ' et ' + named(to) + ' échangés.';
  }

  function moveBlock(from, to) {
    var list = to.parentNode;
    var rows = Array.prototype.slice.call(list.children);
    list.insertBefore(from, rows.indexOf(from) < rows.indexOf(to) ? to.nextSibling : to);
    // A block dragged into place is shown, even if it had no number.
    from.querySelector('input').value = '0';
    var place = 1;
    Array.prototype.forEach.call(list.children, function (row) {
      var input = row.querySelector('input');
      if (input.value.trim() !== '') {
        input.value = String(place);
        place += 1;
      }
    });
    return 'Bloc «\u202f' + named(from) + '\u202f» placé en ' + from.querySelector('input').value + '.';
  }

  form.querySelectorAll('.front-slot').forEach(function (slot) {
    droppable(slot, swapSlots);
  });
  form.querySelectorAll('.front-blocks > li').forEach(function (row) {
    droppable(row, moveBlock);
  });
})();
