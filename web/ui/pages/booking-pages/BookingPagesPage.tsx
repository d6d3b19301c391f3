// The signed-in person's booking pages: publish an event type (alone, or with teammates who
// must all be free), copy its public link, remove it.
import {
  Button,
  Checkbox,
  Field,
  Input,
  Select,
  Subtitle1,
  Text,
  Textarea,
  Title2,
} from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../../infra/ui/api.ts';
import { Notice } from '../../../infra/ui/Notice.tsx';
import { useSession } from '../session.tsx';
import { useApi } from '../use-api.ts';

interface PageView {
  slug: string;
  title: string;
  description: string;
  durationMinutes: number;
  windowDays: number;
  hostEmails: string[];
  url: string;
}

export function BookingPagesPage() {
  const { user } = useSession();
  const pages = useApi<{ pages: PageView[] }>('/api/booking-pages');
  const people = useApi<{ people: Array<{ name: string; email: string }> }>('/api/people');
  const colleagues = (people.data?.people ?? []).filter((p) => p.email !== user?.email);
  const [form, setForm] = useState({
    slug: '',
    title: '',
    description: '',
    duration: '30',
    windowDays: '14',
  });
  const [hosts, setHosts] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const publish = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDone(null);
    try {
      const { page } = await api<{ page: PageView }>('/api/booking-pages', {
        body: {
          slug: form.slug,
          title: form.title,
          description: form.description,
          durationMinutes: Number(form.duration),
          windowDays: Number(form.windowDays),
          hostEmails: hosts,
        },
      });
      setDone(page.url);
      setForm({ ...form, slug: '', title: '', description: '' });
      setHosts([]);
      await pages.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const remove = async (slug: string) => {
    setError(null);
    try {
      await api(`/api/booking-pages/${slug}`, { method: 'DELETE' });
      await pages.reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="stack">
      <Title2 as="h2">Booking pages</Title2>
      <Text>
        Publish an event type at a public link. Guests see the times you (and any teammates you add)
        are free, in their own time zone, and book one; it lands on your calendar.
      </Text>
      {error ? <Notice intent="error">{error}</Notice> : null}
      {done ? (
        <Notice intent="success" title="Published">
          Share this link: <a href={done}>{done}</a>
        </Notice>
      ) : null}
      <section aria-labelledby="mine" className="stack">
        <Subtitle1 as="h3" id="mine">
          Your pages
        </Subtitle1>
        {(pages.data?.pages ?? []).length === 0 ? (
          <Text>No booking pages yet.</Text>
        ) : (
          <ul>
            {pages.data!.pages.map((p) => (
              <li key={p.slug} style={{ marginBottom: 8 }}>
                <Text weight="semibold">{p.title}</Text> ({p.durationMinutes} min
                {p.hostEmails.length ? `, with ${p.hostEmails.join(', ')}` : ''}) —{' '}
                <a href={p.url}>{p.url}</a>{' '}
                <Button
                  size="small"
                  onClick={() => remove(p.slug)}
                  aria-label={`Remove ${p.title}`}
                >
                  Remove
                </Button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <form
        onSubmit={publish}
        className="stack"
        aria-labelledby="new-page"
        style={{ maxWidth: 560 }}
      >
        <Subtitle1 as="h3" id="new-page">
          New booking page
        </Subtitle1>
        <Field label="Title" required>
          <Input
            value={form.title}
            onChange={(_, d) => setForm({ ...form, title: d.value })}
            placeholder="Intro call"
          />
        </Field>
        <Field
          label="Link name"
          required
          hint="Lowercase letters, digits and dashes: /book/your-link-name"
        >
          <Input value={form.slug} onChange={(_, d) => setForm({ ...form, slug: d.value })} />
        </Field>
        <Field label="Description">
          <Textarea
            value={form.description}
            onChange={(_, d) => setForm({ ...form, description: d.value })}
          />
        </Field>
        <div className="row">
          <Field label="Duration">
            <Select
              value={form.duration}
              onChange={(_, d) => setForm({ ...form, duration: d.value })}
            >
              {[15, 30, 45, 60, 90].map((m) => (
                <option key={m} value={m}>
                  {m} minutes
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Bookable days ahead">
            <Input
              type="number"
              min={1}
              max={60}
              value={form.windowDays}
              onChange={(_, d) => setForm({ ...form, windowDays: d.value })}
            />
          </Field>
        </div>
        {colleagues.length > 0 ? (
          <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
            <legend>
              <Text weight="semibold">Teammates who attend too (optional)</Text>
            </legend>
            <div className="row">
              {colleagues.map((c) => (
                <Checkbox
                  key={c.email}
                  label={c.name}
                  checked={hosts.includes(c.email)}
                  onChange={(_, d) =>
                    setHosts(d.checked ? [...hosts, c.email] : hosts.filter((h) => h !== c.email))
                  }
                />
              ))}
            </div>
          </fieldset>
        ) : null}
        <Button appearance="primary" type="submit">
          Publish
        </Button>
      </form>
    </div>
  );
}
