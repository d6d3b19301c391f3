// The Schedule page's "repeat" control: a weekly or fortnightly series of a number of meetings.
// Times found are then first meetings whose every meeting is free, and booking books the series.
import { Field, Input, Select } from '@fluentui/react-components';
import type { ScheduleForm } from './use-schedule.ts';

export function RepeatControl({ form }: { form: ScheduleForm }) {
  return (
    <>
      <Field label="Repeat">
        <Select value={form.repeat} onChange={(_, d) => form.setRepeat(d.value as Repeat)}>
          <option value="none">Does not repeat</option>
          <option value="1">Every week</option>
          <option value="2">Every 2 weeks</option>
          <option value="4">Every 4 weeks</option>
        </Select>
      </Field>
      {form.repeat === 'none' ? null : (
        <Field label="Meetings" hint="How many, the first included (2–60).">
          <Input
            type="number"
            min={2}
            max={60}
            value={form.repeatCount}
            onChange={(_, d) => form.setRepeatCount(d.value)}
          />
        </Field>
      )}
    </>
  );
}

export type Repeat = 'none' | '1' | '2' | '4';

/** The recurrence the API takes, or nothing for a single meeting. */
export function recurrenceOf(form: Pick<ScheduleForm, 'repeat' | 'repeatCount'>) {
  if (form.repeat === 'none') return undefined;
  return { frequency: 'weekly', interval: Number(form.repeat), count: Number(form.repeatCount) };
}
