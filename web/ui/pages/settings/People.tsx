// For administrators: the organization's people.
import { Button, Field, Input, Subtitle1 } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { useApi } from '../../use-api.ts';

export function People() {
  const people = useApi<{
    people: Array<{ id: string; name: string; email: string; role: string }>;
  }>('/api/people');
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const add = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('/api/admin/people', { body: form });
      setStatus({ ok: true, text: `${form.name} can now sign in with ${form.email}.` });
      setForm({ name: '', email: '', password: '' });
      await people.reload();
    } catch (e) {
      setStatus({ ok: false, text: (e as Error).message });
    }
  };
  return (
    <section aria-labelledby="people" className="stack">
      <Subtitle1 as="h3" id="people">
        People
      </Subtitle1>
      <ul>
        {(people.data?.people ?? []).map((p) => (
          <li key={p.id}>
            {p.name} ({p.email}){p.role === 'admin' ? ', administrator' : ''}
          </li>
        ))}
      </ul>
      <form onSubmit={add} className="row" aria-label="Add a colleague">
        <Field label="Colleague's name" required>
          <Input value={form.name} onChange={(_, d) => setForm({ ...form, name: d.value })} />
        </Field>
        <Field label="Colleague's email" required>
          <Input
            type="email"
            value={form.email}
            onChange={(_, d) => setForm({ ...form, email: d.value })}
          />
        </Field>
        <Field label="First password" required>
          <Input
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={(_, d) => setForm({ ...form, password: d.value })}
          />
        </Field>
        <Button type="submit">Add colleague</Button>
      </form>
      {status ? <Notice intent={status.ok ? 'success' : 'error'}>{status.text}</Notice> : null}
    </section>
  );
}
