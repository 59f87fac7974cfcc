/**
 * Bad input to quiesce-verify: names the flag (or option) and says what to do. The CLI prints the
 * message and exits 2; the library throws it before starting anything.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    /** The flag as the user wrote it (`--after`), or the library option (`afterMs`). */
    readonly input: string,
    message: string,
  ) {
    super(`${input}: ${message}`);
  }
}
