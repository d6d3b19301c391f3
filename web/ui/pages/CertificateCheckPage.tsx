// Check a deletion certificate: paste it or upload the file; the page says whether it is valid
// and, if not, why — the same check as `quorum certificate verify`, against this deployment's
// published key.
import { Button, Field, Subtitle1, Text, Textarea, Title2 } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { api } from '../../../infra/ui/api.ts';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { formatMoment } from '../../../infra/ui/time.ts';

type Verdict =
  | {
      valid: true;
      certificate: {
        id: string;
        tenantId: string;
        subject: { kind: string; id: string };
        deleted: Record<string, number>;
        kept: Array<{ what: string; why: string }>;
        deletedAt: string;
        kid: string;
      };
    }
  | { valid: false; reason: string; message: string };

const REASONS: Record<string, string> = {
  malformed: 'This is not a Quorum deletion certificate.',
  'unknown-key-id': 'It was not signed by this Quorum’s key.',
  'content-altered': 'Its content was changed after it was signed.',
  'signature-mismatch': 'Its signature does not match its content.',
};

export function CertificateCheckPage({ certificateId }: { certificateId: string | null }) {
  const [text, setText] = useState('');
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [error, setError] = useState<string | null>(null);

  // Opened from a deleted meeting: fetch that certificate (the viewer's own tenant's).
  useEffect(() => {
    if (!certificateId) return;
    void fetch(`/api/certificates/${encodeURIComponent(certificateId)}`, {
      credentials: 'same-origin',
    })
      .then(async (res) => {
        if (res.ok) setText(await res.text());
        else setError('That certificate could not be loaded; paste or upload it instead.');
      })
      .catch(() => setError('Quorum could not be reached. Check your connection.'));
  }, [certificateId]);

  const check = async () => {
    setError(null);
    setVerdict(null);
    try {
      setVerdict(
        await api<Verdict>('/api/public/certificates/verify', { body: { certificate: text } }),
      );
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="stack" style={{ maxWidth: 760 }}>
      <Title2 as="h2">Check a deletion certificate</Title2>
      <Text>
        Quorum signs a certificate whenever it deletes meeting content. Paste one here or upload its
        file to check that it is genuine and unchanged. Offline, run{' '}
        <code>quorum certificate verify FILE</code> with the key published at{' '}
        <a href="/.well-known/quorum-certificate-keys.json">
          /.well-known/quorum-certificate-keys.json
        </a>
        .
      </Text>
      <Field label="Certificate (JSON)">
        <Textarea
          value={text}
          onChange={(_, d) => setText(d.value)}
          rows={10}
          style={{ fontFamily: 'monospace' }}
        />
      </Field>
      <div className="row">
        <label htmlFor="certificate-file">
          <Text>Or upload the certificate file</Text>
        </label>
        <input
          id="certificate-file"
          type="file"
          accept="application/json,.json"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (f) setText(await f.text());
          }}
        />
      </div>
      <Button appearance="primary" onClick={check} disabled={!text.trim()}>
        Verify
      </Button>
      {error ? <Notice intent="error">{error}</Notice> : null}
      {verdict?.valid ? (
        <div data-testid="verdict" data-verdict="valid">
          <Notice intent="success" title="Valid certificate">
            Certificate {verdict.certificate.id} proves the deletion of{' '}
            {verdict.certificate.subject.kind} {verdict.certificate.subject.id} on{' '}
            {formatMoment(verdict.certificate.deletedAt)}, signed by key {verdict.certificate.kid}.
          </Notice>
        </div>
      ) : null}
      {verdict && verdict.valid ? (
        <section aria-label="What was deleted">
          <Subtitle1 as="h3">Deleted</Subtitle1>
          <ul>
            {Object.entries(verdict.certificate.deleted).map(([what, n]) => (
              <li key={what}>
                {what}: {n}
              </li>
            ))}
          </ul>
          {verdict.certificate.kept.length ? (
            <>
              <Subtitle1 as="h3">Kept</Subtitle1>
              <ul>
                {verdict.certificate.kept.map((k) => (
                  <li key={k.what}>
                    {k.what} — {k.why}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
      {verdict && !verdict.valid ? (
        // Said once: the reason in plain words, or the check's own sentence for a reason this
        // page does not know (never both, which repeated each other).
        <div data-testid="verdict" data-verdict="invalid">
          <Notice intent="error" title="Not valid">
            {REASONS[verdict.reason] ?? verdict.message}
          </Notice>
        </div>
      ) : null}
    </div>
  );
}
