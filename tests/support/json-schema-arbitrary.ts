// fast-check arbitraries made from a JSON Schema (what zod's z.toJSONSchema gives for a route's
// input): values that fit the schema's shape, and near-valid values with one to three fields
// mutated into what a careless or hostile client sends.
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

/** What a valid value needs from outside the schema: real addresses, a sensible time. */
export interface ValueHints {
  /** Addresses of real people, so attendee lists name colleagues. */
  emails: string[];
  /** Times are generated around this instant (half-hour steps), so ranges are often valid. */
  base: Date;
  /** Values for fields of a name whose schema says too little (a time zone is just a string). */
  fields?: Record<string, unknown[]>;
}

/** Pairs of fields that make a range: a valid value mostly has the end shortly after the start. */
const RANGES: Array<[string, string]> = [
  ['start', 'end'],
  ['startsAt', 'endsAt'],
];

function withSensibleRanges(value: Record<string, unknown>, halfHours: number, keep: boolean) {
  for (const [from, to] of RANGES) {
    const start = value[from];
    if (keep || typeof start !== 'string' || typeof value[to] !== 'string') continue;
    const at = Date.parse(start);
    if (Number.isFinite(at)) value[to] = new Date(at + halfHours * HALF_HOUR).toISOString();
  }
  return value;
}

const HALF_HOUR = 30 * 60_000;

/** An ISO instant near `base`: mostly within a working day of it, sometimes weeks either side. */
function nearInstant(base: Date): fc.Arbitrary<string> {
  return fc
    .oneof(
      { weight: 7, arbitrary: fc.integer({ min: 0, max: 16 }) },
      { weight: 3, arbitrary: fc.integer({ min: -48, max: 48 * 30 }) },
      // Weeks before now: real dates, in bounds, but long gone.
      { weight: 1, arbitrary: fc.integer({ min: -48 * 60, max: -48 * 20 }) },
    )
    .chain((steps) => {
      const date = new Date(base.getTime() + steps * HALF_HOUR);
      return fc.constantFrom(
        date.toISOString(),
        date.toISOString().replace('.000Z', 'Z'),
        // The same instant written with an offset.
        new Date(date.getTime() + 5.5 * 3_600_000).toISOString().replace('.000Z', '+05:30'),
      );
    });
}

function stringFor(schema: JsonSchema, hints: ValueHints): fc.Arbitrary<string> {
  if (schema.format === 'date-time') return nearInstant(hints.base);
  if (schema.format === 'email') {
    return fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...hints.emails) },
      {
        weight: 1,
        arbitrary: fc
          .stringMatching(/^[a-z][a-z0-9.]{0,12}[a-z0-9]$/)
          .map((local) => `${local.replace(/\.{2,}/g, '.')}@elsewhere.example`),
      },
    );
  }
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? minLength + 40, minLength + 40);
  if (schema.pattern) {
    const pattern = new RegExp(schema.pattern);
    return fc
      .stringMatching(pattern, { size: 'small' })
      .filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity));
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme-ascii' });
}

function numberFor(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum ?? -1_000_000) + (integer ? 1 : 0);
  const max = schema.maximum ?? (schema.exclusiveMaximum ?? 1_000_000) - (integer ? 1 : 0);
  if (integer) {
    return fc.integer({
      min: Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER),
      max: Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER),
    });
  }
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Values of the schema's shape; string lengths and arrays are kept small. */
export function validArbitrary(schema: JsonSchema, hints: ValueHints): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => validArbitrary(s, hints)));
  if (schema.allOf?.length) return validArbitrary(Object.assign({}, ...schema.allOf), hints);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) {
    return fc.oneof(...types.map((type) => validArbitrary({ ...schema, type }, hints)));
  }
  switch (types[0]) {
    case 'object': {
      const properties = schema.properties ?? {};
      const model = Object.fromEntries(
        Object.entries(properties).map(([key, s]) => {
          const known = hints.fields?.[key];
          const own = validArbitrary(s, hints);
          return [key, known ? fc.oneof(fc.constantFrom(...known), own) : own];
        }),
      );
      return fc
        .tuple(
          fc.record(model, { requiredKeys: schema.required ?? [] }),
          fc.integer({ min: 1, max: 8 }),
          fc.boolean(),
        )
        .map(([value, halfHours, keep]) => withSensibleRanges(value, halfHours, keep));
    }
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.min(schema.maxItems ?? minLength + 4, minLength + 4);
      return fc.array(schema.items ? validArbitrary(schema.items, hints) : fc.jsonValue(), {
        minLength,
        maxLength,
      });
    }
    case 'string':
      return stringFor(schema, hints);
    case 'integer':
      return numberFor(schema, true);
    case 'number':
      return numberFor(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      // No type at all (z.unknown(), z.any()): anything JSON can carry.
      return fc.jsonValue({ maxDepth: 3 });
  }
}

/** Dates that are not real, or are far from any sensible meeting. */
export const BAD_DATES = [
  '2026-02-30T00:00:00Z',
  '2027-02-29T10:00:00Z',
  '2026-13-01T00:00:00Z',
  '2026-01-01T24:00:00Z',
  '2026-01-01T00:00:00+25:00',
  '+275760-09-13T00:00:00Z',
  '+275760-09-13T00:00:00.001Z',
  '-271821-04-20T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '1999-12-31T23:59:59.999Z',
  '2000-01-01T00:00:00Z',
  '2099-12-31T23:59:00Z',
  '2100-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-01-01',
  '2026-01-01T10:00',
  'Tue, 05 Jan 2027 10:00:00 GMT',
  'now',
  8.64e15,
  8.64e15 + 1,
  -8.64e15,
];

function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** A value a field should never get: wrong types, boundaries, odd strings, bad dates. */
export function badValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constantFrom(
      null,
      true,
      false,
      0,
      -1,
      1.5,
      2 ** 31,
      2 ** 53,
      -(2 ** 53),
      1e308,
      -1e308,
      5e-324,
      '',
      ' ',
      '0',
      '-1',
      'null',
      'NaN',
      'Infinity',
      '1e400',
      [],
      {},
      [null],
      [[]],
      { $gt: '' },
      { $where: 'sleep(1000)' },
      // Parsed, so __proto__ is an own key as it is in a request body.
      JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
      { constructor: { prototype: { polluted: true } } },
      'toString',
      '__proto__',
    ),
    fc.constantFrom(...BAD_DATES),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 60 }),
    fc.constantFrom(
      '\u0000',
      '\u202e\u202dRTL',
      '👩‍👩‍👧‍👦'.repeat(2_000),
      'e\u0301'.repeat(5_000),
      '\ud800',
      ' padded@x.example ',
      'a@b',
      '@x.example',
      `${'a'.repeat(300)}@x.example`,
      'ANA@EXAMPLE.COM',
    ),
    fc.constantFrom(10_001, 70_000, 400_000).map((n) => 'x'.repeat(n)),
    fc.constantFrom(20, 500, 5_000).map((n) => 'word '.repeat(n)),
    fc.constantFrom(10, 200, 3_000).map((depth) => nested(depth, 'array')),
    fc.constantFrom(10, 200, 3_000).map((depth) => nested(depth, 'object')),
    fc.constantFrom(1_000, 5_000).map((n) => Array.from({ length: n }, (_, i) => i)),
    fc.jsonValue({ maxDepth: 2 }),
  );
}

type Path = Array<string | number>;

/** Places in a value to mutate: not deeper than 12 levels, at most 500 of them. */
function pathsOf(value: unknown): Path[] {
  const paths: Path[] = [];
  const queue: Array<[unknown, Path]> = [[value, []]];
  while (queue.length > 0 && paths.length < 500) {
    const [v, at] = queue.shift()!;
    paths.push(at);
    if (at.length >= 12 || !v || typeof v !== 'object') continue;
    const entries = Array.isArray(v) ? v.map((item, i) => [i, item] as const) : Object.entries(v);
    for (const [k, inner] of entries.slice(0, 100)) queue.push([inner, [...at, k]]);
  }
  return paths;
}

const mutation = fc.record({
  pick: fc.nat(),
  op: fc.constantFrom('replace', 'replace', 'replace', 'delete', 'extra', 'wrap'),
  bad: badValue(),
  key: fc.constantFrom('extra', '__proto__', 'constructor', '$where', '', 'x'.repeat(1_000)),
});

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function apply(value: unknown, changes: Mutation[]): unknown {
  // Cloned through JSON: the value is about to travel as JSON anyway.
  let root: unknown = value === undefined ? {} : JSON.parse(JSON.stringify(value));
  for (const raw of changes) {
    // Bad values are shared between samples (constants): each request gets its own copy, or a
    // later mutation would change (even tie into a cycle) what other requests send.
    const bad: unknown =
      raw.bad && typeof raw.bad === 'object' ? JSON.parse(JSON.stringify(raw.bad)) : raw.bad;
    const change = { ...raw, bad };
    const paths = pathsOf(root);
    const path = paths[change.pick % paths.length]!;
    const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as never)[k], root);
    const last = path.at(-1);
    const current = path.length === 0 ? root : (parent as Record<string, unknown>)[last!];
    let next: unknown;
    switch (change.op) {
      case 'delete':
        if (path.length > 0) {
          if (Array.isArray(parent)) parent.splice(Number(last), 1);
          else delete (parent as Record<string, unknown>)[last!];
          continue;
        }
        next = change.bad;
        break;
      case 'extra':
        if (current && typeof current === 'object' && !Array.isArray(current)) {
          Object.defineProperty(current, change.key, {
            value: change.bad,
            enumerable: true,
            configurable: true,
            writable: true,
          });
          continue;
        }
        next = change.bad;
        break;
      case 'wrap':
        // An array where an object is expected, or the other way round.
        next = Array.isArray(current) ? { ...current } : [current];
        break;
      default:
        next = change.bad;
    }
    if (path.length === 0) root = next;
    else (parent as Record<string, unknown>)[last!] = next;
  }
  return root;
}

/** Near-valid values: a valid one with one to three fields mutated. */
export function mutatedArbitrary(schema: JsonSchema, hints: ValueHints): fc.Arbitrary<unknown> {
  return fc
    .tuple(validArbitrary(schema, hints), fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([value, changes]) => apply(value, changes));
}
