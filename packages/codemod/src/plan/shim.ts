/** The runtime shim's module names and the exports the codemod inserts (contract: issue 2). */
export const SHIM_MODULE = '@quiesce/runtime-shim';
export const REGISTER_MODULE = '@quiesce/runtime-shim/register';

/** `from '…'`, `require('…')`, `import '…'` or `import('…')` of a specifier whose pattern follows. */
const IMPORT_OF = String.raw`(?:from\s*|require\s*\(\s*|import\s*\(?\s*)`;
/** A text that imports or requires the shim (its main module or its register entry). */
export const IMPORTS_SHIM = new RegExp(String.raw`${IMPORT_OF}['"]@quiesce\/runtime-shim(?:\/register)?['"]`);
/** A text that imports or requires the shim's main module: work of that file is on the shim (tracked, hooked). */
export const IMPORTS_SHIM_WORK = new RegExp(String.raw`${IMPORT_OF}['"]@quiesce\/runtime-shim['"]`);

export type ShimExport = 'track' | 'trackCallback' | 'setInterval' | 'setTimeout' | 'onShutdown' | 'trackServer' | 'shutdown' | 'installShutdownHandlers';

/** The local name tried when the export's own name is taken (then numbered: `trackedSetTimeout2`). */
export function aliasFor(name: ShimExport): string {
  const capitalised = name[0]!.toUpperCase() + name.slice(1);
  return name === 'setInterval' || name === 'setTimeout' ? `tracked${capitalised}` : `quiesce${capitalised}`;
}
