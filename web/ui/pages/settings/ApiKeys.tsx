// For administrators: API keys and their permissions.
import { Button, Checkbox, Field, Input, Subtitle1 } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { useApi } from '../../use-api.ts';

const PERMISSIONS = ['meetings:read', 'meetings:write', 'bookings:read', 'audit:read'];

export function ApiKeys() {
  const keys = useApi<{
    keys: Array<{
      _id: string;
      name: string;
      permissions: string[];
      createdAt: string;
      revokedAt?: string | null;
    }>;
  }>('/api/admin/api-keys');
  const [name, setName] = useState('');
  const [perms, setPerms] = useState<string[]>(['meetings:read']);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const r = await api<{ key: string }>('/api/admin/api-keys', {
        body: { name, permissions: perms },
      });
      setCreated(r.key);
      setName('');
      await keys.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const revoke = async (id: string) => {
    try {
      await api(`/api/admin/api-keys/${id}`, { method: 'DELETE' });
      await keys.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section aria-labelledby="api-keys" className="stack">
      <Subtitle1 as="h3" id="api-keys">
        API keys
      </Subtitle1>
      <ul>
        {(keys.data?.keys ?? [])
          .filter((k) => !k.revokedAt)
          .map((k) => (
            <li key={k._id}>
              {k.name} ({k.permissions.join(', ')}){' '}
              <Button size="small" onClick={() => revoke(k._id)} aria-label={`Revoke ${k.name}`}>
                Revoke
              </Button>
            </li>
          ))}
      </ul>
      <form onSubmit={create} className="stack" style={{ maxWidth: 640 }} aria-label="New API key">
        <Field label="Key name" required>
          <Input value={name} onChange={(_, d) => setName(d.value)} />
        </Field>
        <div className="row">
          {PERMISSIONS.map((p) => (
            <Checkbox
              key={p}
              label={p}
              checked={perms.includes(p)}
              onChange={(_, d) =>
                setPerms(d.checked ? [...perms, p] : perms.filter((x) => x !== p))
              }
            />
          ))}
        </div>
        <Button type="submit">Create API key</Button>
      </form>
      {created ? (
        <Notice intent="success" title="Copy the key now">
          It is shown only once: <code>{created}</code>
        </Notice>
      ) : null}
      {error ? <Notice intent="error">{error}</Notice> : null}
    </section>
  );
}
