// A refused request names its field first ("window.end: These days are over…", as
// infra/http/validate.ts and the core's refusals write it), so a page can show the sentence next
// to that field rather than at the top of the page.
import { ApiError } from '../../infra/ui/api.ts';

export interface FieldError {
  /** The field's path as the API names it, e.g. `workingHours.0.end`. */
  field: string;
  /** What to tell the person, without the field's path. */
  text: string;
}

/** The field a 400 is about and its sentence; null for any other failure. */
export function fieldErrorOf(error: unknown): FieldError | null {
  if (!(error instanceof ApiError) || error.status !== 400) return null;
  const match = /^([\w.]+): (.+)$/s.exec(error.message);
  return match ? { field: match[1]!, text: match[2]! } : null;
}
