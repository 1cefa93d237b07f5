// A trainer's recipe: the JSON object a miner may send with a commit (every hyperparameter, seed, data
// order, engine version), carried as bounded JSON text so its size and shape are checked by the strict
// parser before anything is built. Decoding only; what a recipe must contain is the trainer's business.

import { type JsonLimits, parseBoundedJson } from './bounded-json.js';
import { fail, ok, type Result } from './result.js';

/** One value in a recipe: JSON without non-finite numbers. */
export type RecipeValue =
  | string
  | number
  | boolean
  | null
  | readonly RecipeValue[]
  | { readonly [key: string]: RecipeValue };

/** A recipe: a JSON object. */
export type Recipe = { readonly [key: string]: RecipeValue };

/** Largest recipe text in UTF-8 bytes (and UTF-16 characters) a commit may carry. */
export const MAX_RECIPE_BYTES = 16_384;

/** The bounds a recipe's JSON is parsed under: 16 KiB, objects and arrays nested at most 4 deep. */
export const RECIPE_LIMITS: JsonLimits = {
  maxBytes: MAX_RECIPE_BYTES,
  maxDepth: 4,
  maxValues: 2000,
  maxStringLength: 2000,
};

/** Decodes recipe text: bounded JSON whose top level is an object. */
export function decodeRecipe(text: string): Result<Recipe> {
  const parsed = parseBoundedJson(new TextEncoder().encode(text), RECIPE_LIMITS);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('invalid_message', 'a recipe must be a JSON object', [
      { path: '/', message: 'expected object' },
    ]);
  }
  return ok(value as Recipe);
}

/** Encodes a recipe as the text a commit carries; fails when it exceeds RECIPE_LIMITS. */
export function encodeRecipe(recipe: Recipe): Result<string> {
  const text = JSON.stringify(recipe);
  const checked = decodeRecipe(text);
  return checked.ok ? ok(text) : { ok: false, error: checked.error };
}
