// Search across my meetings: the words, the meetings that hold all of them, and where each was
// said (speaker and time), through GET /api/search (the blind index; only hits are decrypted).
import { Button, Field, Input, Spinner, Text, Title2 } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { formatDay } from '../../../../infra/ui/time.ts';
import { fieldErrorOf } from '../../field-error.ts';
import { AppLink } from '../../router.tsx';
import { clock } from '../meeting/meeting-detail.ts';

interface SearchResults {
  terms: string[];
  results: Array<{
    meetingId: string;
    title: string;
    startsAt: string;
    snippets: Array<{ speaker: string; startMs: number; text: string }>;
  }>;
}

export function SearchPage() {
  const [q, setQ] = useState('');
  const [found, setFound] = useState<SearchResults | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      setFound(await api<SearchResults>(`/api/search?q=${encodeURIComponent(q)}`));
    } catch (e) {
      setFound(null);
      setProblem(fieldErrorOf(e)?.text ?? (e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stack">
      <Title2 as="h2">Search meetings</Title2>
      <form onSubmit={submit} className="row" role="search" aria-label="Search meetings">
        <Field label="Words said in a meeting" validationMessage={problem ?? undefined}>
          <Input type="search" value={q} onChange={(_, d) => setQ(d.value)} />
        </Field>
        <Button type="submit" appearance="primary" disabled={busy || !q.trim()}>
          Search
        </Button>
      </form>
      {busy ? <Spinner size="tiny" label="Searching…" /> : null}
      {found ? <Results found={found} /> : null}
    </div>
  );
}

function Results({ found }: { found: SearchResults }) {
  if (found.results.length === 0)
    return <Notice intent="info">No meeting of yours mentions {found.terms.join(' and ')}.</Notice>;
  return (
    <ul aria-label="Search results" className="stack" style={{ listStyle: 'none', padding: 0 }}>
      {found.results.map((r) => (
        <li key={r.meetingId}>
          <AppLink to={`/app/meetings/${r.meetingId}`}>{r.title}</AppLink>{' '}
          <Text>— {formatDay(r.startsAt)}</Text>
          <ul>
            {r.snippets.map((s, i) => (
              <li key={i}>
                <Text weight="semibold">{s.speaker}</Text> <time>{clock(s.startMs)}</time>: {s.text}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}
