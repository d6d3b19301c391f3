// The signed-in person's booking pages: publish an event type (alone, or with teammates who
// must all be free), copy its public link, remove it.
import { Text, Title2 } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { plainError } from '../../field-error.ts';
import { useSession } from '../../session.tsx';
import { useApi } from '../../use-api.ts';
import { NewBookingPageForm, YourPages, type PageView } from './parts.tsx';

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
  /** Refusals about one field (the link name, the title), shown at that field. */
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);

  const publish = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setFieldErrors({});
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
      const plain = plainError(e, { slug: form.slug });
      if (plain.field === 'slug' || plain.field === 'title')
        setFieldErrors({ [plain.field]: plain.text });
      else setError(plain.text);
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
      <YourPages pages={pages.data?.pages} onRemove={(slug) => void remove(slug)} />
      <NewBookingPageForm
        form={form}
        setForm={setForm}
        errors={fieldErrors}
        hosts={hosts}
        setHosts={setHosts}
        colleagues={colleagues}
        onPublish={publish}
      />
    </div>
  );
}
