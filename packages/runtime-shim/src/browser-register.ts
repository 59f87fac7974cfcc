// The browser build of `@quiesce/runtime-shim/register`: a page has no signals to handle.
export {};
