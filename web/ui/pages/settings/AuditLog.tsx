// For administrators: the audit log, with its verification.
import { Subtitle1 } from '@fluentui/react-components';
import { Notice } from '../../../../infra/ui/Notice.tsx';
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

export function AuditLog() {
  const audit = useApi<AuditView>('/api/audit?limit=50');
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
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{e.action}</td>
                <td>{e.actor}</td>
                <td>{e.target ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
