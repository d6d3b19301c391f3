// Sign in with email and password or single sign-on; a fresh install creates its first
// (administrator) account here.
import { Button, Field, Input, Link, Text, Title1, Title2 } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../../infra/ui/api.ts';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { useSession } from '../session.tsx';

const SSO_NAMES: Record<string, string> = { google: 'Google', microsoft: 'Microsoft' };

export function SignInPage() {
  const { freshInstall, signupOpen, sso, refresh } = useSession();
  const [creating, setCreating] = useState(freshInstall);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [form, setForm] = useState({ organization: '', name: '', email: '', password: '' });
  const set = (k: keyof typeof form) => (_: unknown, d: { value: string }) =>
    setForm({ ...form, [k]: d.value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (creating) await api('/auth/signup', { body: form });
      else await api('/auth/signin', { body: { email: form.email, password: form.password } });
      await refresh();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="stack" style={{ maxWidth: 420 }}>
      <Title1 as="h1">Quorum</Title1>
      <Title2 as="h2">{creating ? 'Create your organization' : 'Sign in'}</Title2>
      {freshInstall && creating ? (
        <Notice intent="info" title="A fresh Quorum">
          Nobody has an account yet. The first account you create is the administrator.
        </Notice>
      ) : null}
      {error ? <Notice intent="error">{error}</Notice> : null}
      <form onSubmit={submit} className="stack">
        {creating ? (
          <>
            <Field label="Organization" required>
              <Input
                value={form.organization}
                onChange={set('organization')}
                autoComplete="organization"
              />
            </Field>
            <Field label="Your name" required>
              <Input value={form.name} onChange={set('name')} autoComplete="name" />
            </Field>
          </>
        ) : null}
        <Field label="Email" required>
          <Input type="email" value={form.email} onChange={set('email')} autoComplete="email" />
        </Field>
        <Field label="Password" required>
          <Input
            type="password"
            value={form.password}
            onChange={set('password')}
            autoComplete={creating ? 'new-password' : 'current-password'}
          />
        </Field>
        <Button appearance="primary" type="submit" disabled={busy}>
          {creating ? 'Create account' : 'Sign in'}
        </Button>
      </form>
      {!creating && sso.length > 0 ? (
        <div className="stack" aria-label="Single sign-on">
          {sso.map((id) => (
            <Button as="a" key={id} href={`/auth/sso/${id}/start?returnTo=/app`}>
              Sign in with {SSO_NAMES[id] ?? id}
            </Button>
          ))}
        </div>
      ) : null}
      {signupOpen ? (
        <Link as="button" onClick={() => setCreating(!creating)}>
          {creating ? 'I have an account: sign in' : 'New organization? Create an account'}
        </Link>
      ) : (
        // Sign-up is closed here: accounts are made by an administrator, so say who to ask
        // instead of offering a form that would be refused.
        <Text>No account yet? Ask your Quorum administrator to add you.</Text>
      )}
    </div>
  );
}
