/** One report of a rule, positioned by offsets of the file's text (ESLint's report `loc`). */
export interface RuleFinding<MessageId extends string = string, Data extends Record<string, string> = Record<string, string>> {
  readonly messageId: MessageId;
  readonly data: Data;
  readonly start: number;
  readonly end: number;
}
