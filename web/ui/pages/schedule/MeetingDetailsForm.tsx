// The Schedule page's form: title, colleagues, guests, duration and the days to search.
import { Button, Checkbox, Field, Input, Select, Text } from '@fluentui/react-components';
import type { FormEvent } from 'react';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import type { Person, ScheduleForm } from './use-schedule.ts';
import { RepeatControl } from './RepeatControl.tsx';

export function MeetingDetailsForm({
  form,
  colleagues,
  peopleError,
  busy,
  onFind,
}: {
  form: ScheduleForm;
  colleagues: Person[];
  peopleError: string | null;
  busy: boolean;
  onFind: (event: FormEvent) => void;
}) {
  const { chosen, setChosen } = form;
  return (
    <form onSubmit={onFind} className="stack" aria-label="Meeting details">
      <Field label="Title">
        <Input
          value={form.title}
          onChange={(_, d) => form.setTitle(d.value)}
          placeholder="Project sync"
        />
      </Field>
      <fieldset style={{ border: 'none', padding: 0, margin: 0 }}>
        <legend>
          <Text weight="semibold">Colleagues</Text>
        </legend>
        {peopleError ? <Notice intent="error">{peopleError}</Notice> : null}
        {colleagues.length === 0 ? (
          <Text>No colleagues yet: an administrator adds them in Settings.</Text>
        ) : (
          <div className="row">
            {colleagues.map((c) => (
              <Checkbox
                key={c.email}
                label={`${c.name} (${c.email})`}
                checked={chosen.includes(c.email)}
                onChange={(_, d) =>
                  setChosen(d.checked ? [...chosen, c.email] : chosen.filter((e) => e !== c.email))
                }
              />
            ))}
          </div>
        )}
      </fieldset>
      <Field
        label="Guests (emails, separated by commas)"
        hint="People outside your organization: Quorum cannot see their calendars."
      >
        <Input value={form.guests} onChange={(_, d) => form.setGuests(d.value)} />
      </Field>
      <div className="row">
        <Field label="Duration">
          <Select value={form.duration} onChange={(_, d) => form.setDuration(d.value)}>
            {[15, 30, 45, 60, 90, 120].map((m) => (
              <option key={m} value={m}>
                {m} minutes
              </option>
            ))}
          </Select>
        </Field>
        <Field label="From">
          <Input type="date" value={form.from} onChange={(_, d) => form.setFrom(d.value)} />
        </Field>
        <Field label="To" validationMessage={form.toError ?? undefined}>
          <Input type="date" value={form.to} onChange={(_, d) => form.setTo(d.value)} />
        </Field>
        <RepeatControl form={form} />
        <Button appearance="primary" type="submit" disabled={busy}>
          Find times
        </Button>
      </div>
    </form>
  );
}
