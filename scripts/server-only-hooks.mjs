// Module resolution hook for scripts/register.mjs: `server-only` is an empty module here.
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'server-only') return { url: 'data:text/javascript,export {};', shortCircuit: true };
  return nextResolve(specifier, context);
}
