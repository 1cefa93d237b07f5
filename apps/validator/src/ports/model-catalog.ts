// The ModelCatalog port: resolves a base model id to its identity, size and downloadable bundle. The
// validator depends only on this interface; where models come from (a directory, the engine) is an adapter.

/** Where a model bundle's bytes live: in memory or in a file. */
export type BundleSource = { kind: 'bytes'; bytes: Uint8Array } | { kind: 'file'; path: string };

/** What the catalog knows about a model without its bytes. */
export interface ModelInfo {
  id: string;
  family: string;
  parameterCount: number;
  /** sha256 of `model.safetensors` (pins the base model). */
  weightsSha256: string;
  /** sha256 and size of the bundle miners download. */
  bundleSha256: string;
  bundleBytes: number;
}

/** A resolved model: its info plus where to read its bundle. */
export interface ResolvedModel extends ModelInfo {
  bundle: BundleSource;
}

/** Resolves base model ids; `resolve` gives undefined for an unknown id. */
export interface ModelCatalog {
  resolve(id: string): Promise<ResolvedModel | undefined>;
  list(): Promise<ModelInfo[]>;
}
