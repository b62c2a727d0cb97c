// The desk's figures for a text: words, characters with spaces (« signes »), reading time.
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
const WORDS_PER_MINUTE = 230;
const number = new Intl.NumberFormat('fr-FR');

export function counts(text) {
  const words = (text.match(WORD) || []).length;
  const characters = [...text.replace(/\s+/g, ' ').trim()].length;
  const figures = `${number.format(words)}\u00a0${words > 1 ? 'mots' : 'mot'} · ${number.format(characters)}\u00a0${characters > 1 ? 'signes' : 'signe'}`;
  if (words === 0) return figures;
  const minutes = Math.max(1, Math.round(words / WORDS_PER_MINUTE));
  return `${figures} · ${minutes}\u00a0min de lecture`;
}
