// The sign-in dialog's last page. Signed in (Microsoft sign-in brought the person back here with
// Quorum's cookie, first-party in the dialog): it hands the pane a token and Outlook closes the
// dialog. Not signed in (no Microsoft sign-in on this Quorum): it asks for the Quorum email and
// password first, through Quorum's own sign-in.
import { Button, Field, Input } from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../../infra/ui/api.ts';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { finishDialogSignIn } from './auth.ts';
import { officeReady } from './office.ts';

type Stage = 'checking' | 'password' | 'done' | { problem: string };

export function DialogDone() {
  const [stage, setStage] = useState<Stage>('checking');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const finish = async () => {
    await finishDialogSignIn();
    setStage('done');
  };

  useEffect(() => {
    void (async () => {
      if (!(await officeReady())) {
        setStage({
          problem: 'This window belongs to the Outlook add-in. Close it and sign in from Outlook.',
        });
        return;
      }
      try {
        const state = await api<{ user: unknown }>('/auth/state');
        if (state.user) await finish();
        else setStage('password');
      } catch (error) {
        setStage({ problem: (error as Error).message });
      }
    })();
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await api('/auth/signin', { body: { email, password } });
      await finish();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        // Wrong email or password: say so and let them try again.
        setPassword('');
        setProblem(error.message);
      } else {
        setStage({ problem: (error as Error).message });
      }
    } finally {
      setBusy(false);
    }
  };
  if (typeof stage === 'object') {
    return (
      <Notice intent="error" title="Sign-in did not finish">
        {stage.problem}
      </Notice>
    );
  }
  if (stage === 'done') {
    return <Notice intent="success">Signed in. This window closes by itself.</Notice>;
  }
  if (stage === 'checking') return null;
  return (
    <form
      onSubmit={(e) => void submit(e)}
      style={{ display: 'grid', gap: 12, padding: 16, maxWidth: 360 }}
      aria-label="Sign in to Quorum"
    >
      {problem ? <Notice intent="error">{problem}</Notice> : null}
      <Field label="Email">
        <Input type="email" value={email} onChange={(_e, d) => setEmail(d.value)} required />
      </Field>
      <Field label="Password">
        <Input
          type="password"
          value={password}
          onChange={(_e, d) => setPassword(d.value)}
          required
        />
      </Field>
      <Button appearance="primary" type="submit" disabled={busy}>
        Sign in
      </Button>
    </form>
  );
}
