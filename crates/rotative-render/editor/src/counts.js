// The desk's figures for a text: words, characters with spaces (« signes »), reading time.
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
const WORDS_PER_MINUTE = 230;
const number = new Intl.NumberFormat('fr-FR');

export function counts(text) {
  const words = (text.match(WORD) || []).length;
  const characters = [...text.replace(/\s+/g, ' ').trim()].length;
  const minutes = Math.max(1, Math.round(words / WORDS_PER_MINUTE));
  return `${number.format(words)} ${words > 1 ? 'mots' : 'mot'} · ${number.format(characters)} ${characters > 1 ? 'signes' : 'signe'} · ${minutes} min de lecture`;
}
