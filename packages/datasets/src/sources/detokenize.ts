// Turns the Brown corpus's tagged, tokenised text ("The/at jury/nn ,/,") back into ordinary prose.
// Only the punctuation spacing conventions of the Brown files are handled; this is not a general detokenizer.

/** Strips `/tag` suffixes and rejoins tokens with natural spacing around punctuation and quotes. */
export function detokenizeBrown(tagged: string): string {
  const words = tagged
    .split(/\s+/)
    .filter((token) => token !== '')
    .map((token) => {
      const slash = token.lastIndexOf('/');
      return slash > 0 ? token.slice(0, slash) : token;
    })
    .map((word) => (word === '``' || word === "''" ? '"' : word));
  let text = '';
  let openQuote = false;
  for (const word of words) {
    const isQuote = word === '"';
    const attachLeft =
      /^[.,;:!?)\]}%]+$/.test(word) || /^'/.test(word) || /^n't$/.test(word) || (isQuote && openQuote);
    if (text !== '' && !attachLeft && !text.endsWith('(') && !(text.endsWith('"') && openQuote)) text += ' ';
    text += word;
    if (isQuote) openQuote = !openQuote;
  }
  return text;
}
