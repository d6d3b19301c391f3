// For administrators: the audit log, with its verification. Entries name people as the log
// stores them (`user:<id>`, so a renamed or erased person leaves the chain intact); the page
// shows each as the organization knows them today, "Ana Lopez (ana@acme.example)".
import { Subtitle1 } from '@fluentui/react-components';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { formatMoment } from '../../../../infra/ui/time.ts';
import { useApi } from '../../use-api.ts';

interface AuditView {
  verification:
    | { intact: true; entries: number }
    | {
        intact: false;
        checked: number;
        firstBad: { seq: number; problem: string; message: string };
      };
  entries: Array<{
    seq: number;
    at: string;
    action: string;
    actor: string;
    target?: string | null;
  }>;
}

interface Person {
  id: string;
  name: string;
  email: string;
}

/** `user:<id>` → "Name (email)"; anything else (a key, the system, a meeting) as it is. */
export function whoIs(ref: string | null | undefined, people: Map<string, Person> | null): string {
  if (!ref) return '';
  const [kind, id] = ref.split(/:(.*)/s) as [string, string | undefined];
  if (kind !== 'user' || !id || !people) return ref;
  const person = people.get(id);
  return person ? `${person.name} (${person.email})` : `a former member (${ref})`;
}

export function AuditLog() {
  const audit = useApi<AuditView>('/api/audit?limit=50');
  const members = useApi<{ people: Person[] }>('/api/people');
  const people = members.data ? new Map(members.data.people.map((p) => [p.id, p])) : null;
  if (audit.error) return <Notice intent="error">{audit.error}</Notice>;
  if (!audit.data) return null;
  const v = audit.data.verification;
  return (
    <section aria-labelledby="audit" className="stack">
      <Subtitle1 as="h3" id="audit">
        Audit log
      </Subtitle1>
      {v.intact ? (
        <Notice intent="success" title="Chain verified">
          All {v.entries} entries are in place and unchanged.
        </Notice>
      ) : (
        <Notice intent="error" title="Chain broken">
          Entry {v.firstBad.seq} is {v.firstBad.problem}: {v.firstBad.message} ({v.checked} entries
          before it are good).
        </Notice>
      )}
      <div style={{ overflowX: 'auto' }}>
        <table style={{ borderCollapse: 'collapse', width: '100%' }}>
          <caption style={{ textAlign: 'left' }}>Latest entries</caption>
          <thead>
            <tr>
              <th scope="col" style={{ textAlign: 'left' }}>
                When
              </th>
              <th scope="col" style={{ textAlign: 'left' }}>
                Action
              </th>
              <th scope="col" style={{ textAlign: 'left' }}>
                Actor
              </th>
              <th scope="col" style={{ textAlign: 'left' }}>
                Target
              </th>
            </tr>
          </thead>
          <tbody>
            {audit.data.entries.map((e) => (
              <tr key={e.seq}>
                <td>{formatMoment(e.at)}</td>
                <td>{e.action}</td>
                <td>{whoIs(e.actor, people)}</td>
                <td>{whoIs(e.target, people)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
