/** Services and values made on first use, for the composition root (src/main.ts and ./services.ts). */

/**
 * A service built on first use: every member read is an asynchronous method that builds the service (once), then
 * calls the member of that name. Only for services whose methods all return promises (the policy table's
 * non-`sync` methods, src/auth/service-policy.ts): the first call may have to load modules or sync content.
 */
export function deferred<T extends object>(make: () => Promise<T>): T {
  let instance: Promise<T> | undefined;
  return new Proxy({} as T, {
    get(_target, prop) {
      // Not a promise: resolving a promise with a deferred service (one deferred behind another) must not call it.
      if (prop === 'then') return undefined;
      return async (...args: unknown[]) => {
        instance ??= make();
        const service = await instance;
        const member = (service as Record<PropertyKey, unknown>)[prop];
        if (typeof member !== 'function') throw new TypeError(`${String(prop)} is not a service method`);
        return (member as (...a: unknown[]) => unknown).apply(service, args);
      };
    },
  });
}

/** A value made once, on first use. */
export function deferredValue<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= make());
}
