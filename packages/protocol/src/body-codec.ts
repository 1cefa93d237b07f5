// Decoding of HTTP bodies and other JSON values against a schema, compiled once per schema.

import type { Static, TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { collectIssues } from './codec.js';
import { fail, ok, type Result } from './result.js';

const cache = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor<T extends TSchema>(schema: T): TypeCheck<T> {
  let checker = cache.get(schema);
  if (!checker) {
    checker = TypeCompiler.Compile(schema);
    cache.set(schema, checker);
  }
  return checker as TypeCheck<T>;
}

/** Checks an already-parsed value against a schema; failures carry code `invalid_body`. */
export function decodeBody<T extends TSchema>(schema: T, value: unknown): Result<Static<T>> {
  const checker = checkerFor(schema);
  if (checker.Check(value)) return ok(value as Static<T>);
  return fail('invalid_body', 'request body does not match its schema', collectIssues(checker, value));
}
