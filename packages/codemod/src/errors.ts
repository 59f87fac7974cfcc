/** A problem with what the user asked for (a path, a tsconfig): the CLI exits 2 with this message. */
export class UsageProblem extends Error {}
