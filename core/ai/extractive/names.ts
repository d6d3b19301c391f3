// A regular-expression alternative that matches any participant's name as written.

export function namesAlternative(names: readonly string[]): string {
  // An impossible match when there are no names, so patterns stay valid.
  if (names.length === 0) return '(?!)';
  return names
    .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+'))
    .join('|');
}
