// Every job Quorum runs, registered in one place (later features add theirs here).
import { JobRegistry } from './registry.ts';

export function buildJobRegistry(): JobRegistry {
  return new JobRegistry();
}
