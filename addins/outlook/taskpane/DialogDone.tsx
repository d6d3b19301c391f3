// Shown in the sign-in dialog after Quorum's sign-in: hands the pane its token, then Outlook
// closes the dialog.
import { useEffect, useState } from 'react';
import { Notice } from '../../../web/ui/components/Notice.tsx';
import { finishDialogSignIn } from './auth.ts';
import { officeReady } from './office.ts';

export function DialogDone() {
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    void (async () => {
      if (!(await officeReady())) {
        setProblem('This window belongs to the Outlook add-in. Close it and sign in from Outlook.');
        return;
      }
      await finishDialogSignIn().catch((error: Error) => setProblem(error.message));
    })();
  }, []);
  return problem ? (
    <Notice intent="error" title="Sign-in did not finish">
      {problem}
    </Notice>
  ) : (
    <Notice intent="success">Signed in. This window closes by itself.</Notice>
  );
}
