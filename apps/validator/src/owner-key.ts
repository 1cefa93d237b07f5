// The comparison key of an owner name: the owner limit counts miners per key, not per spelling, so "Ada",
// "ada ", "ＡＤＡ" and "a\u200Bda" are one owner. The spelling an operator typed is kept for display; only
// this key is compared. It does not catch cross-script look-alikes (Cyrillic "а" for Latin "a").

// Default-ignorable code points (zero-width spaces and joiners, soft hyphens, variation selectors, ...) are
// invisible, so they would otherwise make visually equal owners distinct.
const IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/** NFKC, invisible characters dropped, case folded, inner whitespace collapsed to one space, trimmed. */
export function ownerKey(owner: string): string {
  const folded = owner.normalize('NFKC').replace(IGNORABLE, '').toUpperCase().toLowerCase();
  return folded.normalize('NFKC').replace(IGNORABLE, '').replace(/\s+/gu, ' ').trim();
}
