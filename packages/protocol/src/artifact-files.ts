// Which files an artifact of each kind holds: a PEFT LoRA adapter, or full weights in the Hugging Face GPT-2
// layout. The validator refuses a bundle that breaks this; the miner checks its trainer's output against it
// before committing, so a participant learns at once instead of after the deadline.

import type { ArtifactKind } from './common.js';

/** The required and the optional files of each artifact kind (plain names, no folders). */
export const ARTIFACT_FILES: Record<
  ArtifactKind,
  { required: readonly string[]; optional: readonly string[] }
> = {
  lora: { required: ['adapter_config.json', 'adapter_model.safetensors'], optional: [] },
  full: { required: ['config.json', 'model.safetensors'], optional: ['tokenizer.json'] },
};

/** The files an artifact of `kind` lacks and those it must not hold; both empty when it fits. */
export function artifactFileProblems(
  kind: ArtifactKind,
  names: readonly string[],
): { missing: string[]; unexpected: string[] } {
  const { required, optional } = ARTIFACT_FILES[kind];
  return {
    missing: required.filter((name) => !names.includes(name)),
    unexpected: names.filter((name) => !required.includes(name) && !optional.includes(name)),
  };
}
