// The string formats of free text and names, registered once with TypeBox's FormatRegistry so every compiled
// checker (frames and HTTP bodies) refuses them the same way. They only accept or refuse: nothing is ever
// rewritten, so what a participant sent is stored exactly or not at all.

import { FormatRegistry } from '@sinclair/typebox';

/** Format of free text: well-formed UTF-16 (no lone surrogates, which cannot be stored as UTF-8). */
export const WELL_FORMED_TEXT = 'well-formed-text';
/** Format of a name: well-formed text without control, line-break or bidi-override characters, not blank. */
export const NAME_TEXT = 'name-text';

// In /u mode a surrogate pair is one code point, so only lone halves match.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
// C0 and C1 controls and DEL, line and paragraph separators, and the bidi embeddings, overrides and isolates
// that reorder what an operator sees.
const NOT_IN_NAMES = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
const VISIBLE = /[^\s\p{Default_Ignorable_Code_Point}]/u;

/** Whether a string is well-formed UTF-16. */
export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/** Whether a string is acceptable as a name (owner, display name, competition, model or dataset name). */
function isNameText(value: string): boolean {
  return isWellFormedText(value) && !NOT_IN_NAMES.test(value) && VISIBLE.test(value);
}

/**
 * Text a sender writes itself (a miner's own strategy note) made sendable: at most `maxUnits` UTF-16 units
 * without splitting a surrogate pair, lone surrogates replaced by U+FFFD. Receivers never call this: they
 * refuse what is not well formed instead of rewriting it.
 */
export function clipText(value: string, maxUnits: number): string {
  let end = Math.min(value.length, maxUnits);
  const last = value.charCodeAt(end - 1);
  if (end < value.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return value.slice(0, end).replace(/[\uD800-\uDFFF]/gu, '\uFFFD');
}

if (!FormatRegistry.Has(WELL_FORMED_TEXT)) FormatRegistry.Set(WELL_FORMED_TEXT, isWellFormedText);
if (!FormatRegistry.Has(NAME_TEXT)) FormatRegistry.Set(NAME_TEXT, isNameText);
