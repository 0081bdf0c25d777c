/**
 * Why a kubeconfig could not be used, with what a face needs to say how to fix it (the path it
 * read, the contexts it knows).
 */
export type KubeconfigErrorReason =
  /** No file at the path (or none of the KUBECONFIG paths exists). */
  | 'FileMissing'
  /** The path is a directory (or something else that is not a file). */
  | 'NotAFile'
  /** The file is empty: no clusters, users or contexts. */
  | 'Empty'
  /** The file is not YAML, or not a kubeconfig. */
  | 'Malformed'
  /** The requested context is not in the file. */
  | 'UnknownContext'
  /** No context was requested and the file has no current-context. */
  | 'NoCurrentContext';

export class KubeconfigError extends Error {
  constructor(
    readonly reason: KubeconfigErrorReason,
    message: string,
    /** The file(s) read. */
    readonly paths: string[],
    /** Context names the file has (for "did you mean" and listing). */
    readonly knownContexts: string[] = [],
    /** For UnknownContext: the context asked for (`--context`, else the file's current-context). */
    readonly context?: string,
  ) {
    super(message);
    this.name = 'KubeconfigError';
  }
}
