// Time zone names as people give them, held to a bounded set before luxon sees them.
//
// Zone names are case-insensitive ("europe/berlin" is Europe/Berlin), and luxon keeps for the
// life of the process every name it is handed (IANAZone.create) and, for each valid one, an
// Intl.DateTimeFormat: tens of KB of ICU memory outside the JS heap. One signed-in person who
// saved 2,000 spellings of one zone in their settings and asked for times in each grew the
// server by 350 MB that no garbage collection gives back. So every spelling of a zone is the
// one zone object luxon made for the first, and names that are no zone are not kept at all.
// The names cached here are short (no zone name is longer than MAX_NAME): a long string is
// refused before anything looks at it.
import { IANAZone } from 'luxon';

/** Longer than any IANA zone name (the longest are about 32 characters). */
const MAX_NAME = 64;
/**
 * An IANA name: a letter first, then letters, digits and `_ - + /` (e.g. Etc/GMT+5). Offsets
 * such as "+05:30", which Intl also takes, are not zone names, and there are thousands of them.
 */
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;
/** Names found not to be zones, so a request naming one a thousand times checks it once. */
const UNKNOWN_LIMIT = 10_000;

const createZone = IANAZone.create.bind(IANAZone);
/** Each zone once, by its name in lower case: bounded by the time zone database. */
const zones = new Map<string, IANAZone>();
const unknown = new Set<string>();

/** The zone of this name in any spelling; an invalid zone (kept nowhere) when there is none. */
export function zoneNamed(name: string): IANAZone {
  const folded = name.toLowerCase();
  const known = zones.get(folded);
  if (known) return known;
  if (!isZoneName(name, folded)) return new IANAZone(name);
  const zone = createZone(name);
  zones.set(folded, zone);
  return zone;
}

export function isKnownTimeZone(name: string): boolean {
  return isZoneName(name, name.toLowerCase());
}

function isZoneName(name: string, folded: string): boolean {
  if (zones.has(folded)) return true;
  if (name.length > MAX_NAME || !IANA_NAME.test(name) || unknown.has(folded)) return false;
  if (IANAZone.isValidZone(name)) return true;
  if (unknown.size >= UNKNOWN_LIMIT) unknown.clear();
  unknown.add(folded);
  return false;
}

/** What this module holds, for tests that check it stays bounded. */
export function heldTimeZones(): { zones: number; unknown: number; longestName: number } {
  let longestName = 0;
  for (const name of [...zones.keys(), ...unknown])
    longestName = Math.max(longestName, name.length);
  return { zones: zones.size, unknown: unknown.size, longestName };
}

// Every zone luxon makes from a name (DateTime.setZone, fromISO's `zone`, …) comes from here.
IANAZone.create = zoneNamed;
