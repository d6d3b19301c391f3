// The person's own data: download everything Quorum holds about them (GET /api/me/export), or
// delete their account (DELETE /api/me, confirmed by typing their email address; the account is
// erased after the retention days the server names).
import { Button, Field, Input, Subtitle1, Text } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { fieldErrorOf } from '../../field-error.ts';
import { useSession } from '../../session.tsx';

export function MyData() {
  const { user, refresh } = useSession();
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [deleted, setDeleted] = useState<number | null>(null);
  const remove = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    try {
      const r = await api<{ erasedAfterDays: number }>('/api/me', {
        method: 'DELETE',
        body: { confirm },
      });
      setDeleted(r.erasedAfterDays);
    } catch (e) {
      const field = fieldErrorOf(e);
      setProblem(
        field?.field === 'confirm'
          ? `Type your email address, ${user?.email}, exactly as shown.`
          : (e as Error).message,
      );
    }
  };
  if (deleted !== null)
    return (
      <Notice intent="success" title="Your account is deleted">
        You are signed out everywhere; what Quorum held about you is erased within {deleted} days.{' '}
        <Button appearance="transparent" onClick={() => void refresh()}>
          Continue
        </Button>
      </Notice>
    );
  return (
    <section aria-labelledby="my-data" className="stack" style={{ maxWidth: 640 }}>
      <Subtitle1 as="h3" id="my-data">
        Your data
      </Subtitle1>
      <Text>Everything Quorum holds about you, as one JSON file.</Text>
      <div>
        <Button as="a" href="/api/me/export" download="quorum-export.json">
          Export my data
        </Button>
      </div>
      <form onSubmit={remove} className="stack" aria-label="Delete my account">
        <Field
          label={`To delete your account, type your email address (${user?.email})`}
          validationMessage={problem ?? undefined}
        >
          <Input value={confirm} onChange={(_, d) => setConfirm(d.value)} autoComplete="off" />
        </Field>
        <div>
          <Button type="submit" disabled={!confirm.trim()}>
            Delete my account
          </Button>
        </div>
      </form>
    </section>
  );
}
