/** A problem with what the user asked for (a path, a tsconfig): the CLI exits 2 with this message. */
export class UsageProblem extends Error {}

/** Why `jobs` (as the user wrote it: `given`) cannot be used, or undefined when it can: whole threads, 1 or more. */
export function jobsProblem(jobs: number, given: string): string | undefined {
  return Number.isInteger(jobs) && jobs >= 1 ? undefined : `${given}: expected a whole number of threads, 1 or more (1 analyses in one thread)`;
}
