// Typed errors of the privacy core. Callers branch on the class and its `reason`, never on the
// message, which is written for the operator who reads the log.

/** A key provider could not do what was asked: unreachable, key missing or disabled, bad reply. */
export class KeyProviderError extends Error {
  override readonly name = 'KeyProviderError';
}

export type KeyFileProblem = 'insecure-permissions' | 'not-a-file' | 'malformed' | 'locked';

/** A local key file (keyring, certificate signing key) cannot be used safely. */
export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
  readonly problem: KeyFileProblem;
  readonly file: string;

  constructor(problem: KeyFileProblem, file: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.problem = problem;
    this.file = file;
  }
}

export type EncryptionFailure = 'key-unavailable' | 'key-destroyed' | 'invalid-input';

/**
 * A value could not be encrypted, so it must not be written (fail-closed). `cause` holds the
 * provider's error when the key could not be obtained.
 */
export class EncryptionFailedError extends Error {
  override readonly name = 'EncryptionFailedError';
  readonly reason: EncryptionFailure;

  constructor(reason: EncryptionFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}

export type DecryptionFailure =
  'malformed' | 'not-authentic' | 'key-destroyed' | 'key-missing' | 'key-unavailable';

/** A stored value could not be decrypted; `reason` says whether it ever can be. */
export class DecryptionFailedError extends Error {
  override readonly name = 'DecryptionFailedError';
  readonly reason: DecryptionFailure;

  constructor(reason: DecryptionFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.reason = reason;
  }
}
