// Every machine-readable error code that crosses the wire (WebSocket error frames and HTTP error bodies).
// Codes are snake_case literals; tests assert on them, never on message text.

import { type Static, Type } from '@sinclair/typebox';

/** All error codes of the protocol, as a literal union schema. */
export const ErrorCode = Type.Union([
  // frame decoding
  Type.Literal('malformed_json'),
  Type.Literal('unknown_type'),
  Type.Literal('invalid_message'),
  Type.Literal('frame_too_large'),
  Type.Literal('binary_frame'),
  Type.Literal('invalid_utf8'),
  // connect and authentication
  Type.Literal('protocol_version_mismatch'),
  Type.Literal('unknown_key'),
  Type.Literal('bad_signature'),
  Type.Literal('challenge_replayed'),
  Type.Literal('not_authenticated'),
  Type.Literal('already_authenticated'),
  Type.Literal('session_replaced'),
  Type.Literal('invalid_key'),
  Type.Literal('handshake_timeout'),
  Type.Literal('too_many_connections'),
  Type.Literal('rate_limited'),
  Type.Literal('slow_consumer'),
  // job flow
  Type.Literal('unknown_job'),
  Type.Literal('offer_expired'),
  Type.Literal('offer_not_pending'),
  Type.Literal('not_accepted'),
  Type.Literal('deadline_passed'),
  Type.Literal('hash_mismatch'),
  Type.Literal('artifact_not_committed'),
  Type.Literal('artifact_too_large'),
  Type.Literal('invalid_artifact_name'),
  Type.Literal('commit_limit'),
  Type.Literal('too_many_uploads'),
  Type.Literal('upload_quota_exceeded'),
  Type.Literal('upload_stalled'),
  // operator API
  Type.Literal('unauthorized'),
  Type.Literal('csrf_failed'),
  Type.Literal('invalid_body'),
  Type.Literal('bad_request'),
  Type.Literal('body_too_large'),
  Type.Literal('not_found'),
  Type.Literal('conflict'),
  Type.Literal('owner_limit'),
  Type.Literal('competition_full'),
  Type.Literal('unknown_model'),
  Type.Literal('unknown_dataset'),
  Type.Literal('outside_window'),
  Type.Literal('program_ended'),
  Type.Literal('internal_error'),
]);
/** A machine-readable error code. */
export type ErrorCode = Static<typeof ErrorCode>;
