// Request bodies and queries are validated with zod at the edge; a problem names the field.
import type { z } from 'zod';
import { HttpError } from './http-error.ts';

export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.') || 'body';
  throw new HttpError(400, 'invalid_input', `${field}: ${issue.message}`);
}
