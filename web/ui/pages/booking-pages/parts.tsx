// The booking pages page's parts: the person's pages, and the form that publishes a new one.
import {
  Button,
  Checkbox,
  Field,
  Input,
  Select,
  Subtitle1,
  Text,
  Textarea,
} from '@fluentui/react-components';
import type { FormEvent } from 'react';

export interface PageView {
  slug: string;
  title: string;
  description: string;
  durationMinutes: number;
  windowDays: number;
  hostEmails: string[];
  url: string;
}

export interface PageForm {
  slug: string;
  title: string;
  description: string;
  duration: string;
  windowDays: string;
}

export function YourPages({
  pages,
  onRemove,
}: {
  pages: PageView[] | undefined;
  onRemove: (slug: string) => void;
}) {
  return (
    <section aria-labelledby="mine" className="stack">
      <Subtitle1 as="h3" id="mine">
        Your pages
      </Subtitle1>
      {(pages ?? []).length === 0 ? (
        <Text>No booking pages yet.</Text>
      ) : (
        <ul>
          {pages!.map((p) => (
            <li key={p.slug} style={{ marginBottom: 8 }}>
              <Text weight="semibold">{p.title}</Text> ({p.durationMinutes} min
              {p.hostEmails.length ? `, with ${p.hostEmails.join(', ')}` : ''}) —{' '}
              <a href={p.url}>{p.url}</a>{' '}
              <Button
                size="small"
                onClick={() => onRemove(p.slug)}
                aria-label={`Remove ${p.title}`}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function NewBookingPageForm({
  form,
  setForm,
  errors,
  hosts,
  setHosts,
  colleagues,
  onPublish,
}: {
  form: PageForm;
  setForm: (form: PageForm) => void;
  /** Refusals by field (`slug`, `title`), in plain words. */
  errors: Record<string, string>;
  hosts: string[];
  setHosts: (hosts: string[]) => void;
  colleagues: Array<{ name: string; email: string }>;
  onPublish: (event: FormEvent) => void;
}) {
  return (
    <form
      onSubmit={onPublish}
      className="stack"
      aria-labelledby="new-page"
      style={{ maxWidth: 560 }}
    >
      <Subtitle1 as="h3" id="new-page">
        New booking page
      </Subtitle1>
      <Field label="Title" required validationMessage={errors.title}>
        <Input
          value={form.title}
          onChange={(_, d) => setForm({ ...form, title: d.value })}
          placeholder="Intro call"
        />
      </Field>
      <Field
        label="Link name"
        required
        validationMessage={errors.slug}
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
  );
}
