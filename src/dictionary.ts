/**
 * A lookup table keyed by text that comes from outside (a message, a CSV cell, a query string):
 * without a prototype, so "constructor" or "__proto__" find nothing instead of Object's members.
 */
export function dictionary<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
