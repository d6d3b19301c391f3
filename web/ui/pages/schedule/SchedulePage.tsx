// Schedule: choose people, a duration and a window → the week as a picture (who is free when)
// and the ranked slots in the viewer's zone → book with a meeting link (the person's default
// to start with); the confirmation carries the join link, and the form is empty again. A weekly
// meeting with no time inside everyone's hours is also offered as a fair rotation (RotationPlan).
import { Button, Field, Spinner, Subtitle1, Textarea, Title2 } from '@fluentui/react-components';
import type { FormEvent } from 'react';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { SlotList } from '../../../../infra/ui/SlotList.tsx';
import { formatRange } from '../../../../infra/ui/time.ts';
import { WeekGrid } from '../../../../infra/ui/WeekGrid.tsx';
import { useSession } from '../../session.tsx';
import { useApi } from '../../use-api.ts';
import { AppLink } from '../../router.tsx';
import { BookedNotice } from './BookedNotice.tsx';
import { EmailedTo } from './EmailedTo.tsx';
import { LinkTypeSelect } from './LinkChoice.tsx';
import { MeetingDetailsForm } from './MeetingDetailsForm.tsx';
import { RotationPlan } from './RotationPlan.tsx';
import { useSchedule, useScheduleForm, type Person } from './use-schedule.ts';

export function SchedulePage() {
  const { user } = useSession();
  const people = useApi<{ people: Person[] }>('/api/people');
  const settings = useApi<{ timeZone: string }>('/api/me/settings');
  const zone = settings.data?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const colleagues = (people.data?.people ?? []).filter((p) => p.email !== user?.email);
  const form = useScheduleForm();
  // Read through one object rather than unpacked: the hook's result grows with each feature,
  // and a second list of its names here only repeated the one it returns.
  const schedule = useSchedule(form, colleagues);

  const find = (event: FormEvent) => {
    event.preventDefault();
    schedule.setBooked(null);
    schedule.rotation.setBooked(null);
    void schedule.search();
  };

  return (
    <div className="stack">
      <Title2 as="h2">Schedule a meeting</Title2>
      <MeetingDetailsForm
        form={form}
        colleagues={colleagues}
        peopleError={people.error}
        busy={schedule.busy}
        onFind={find}
      />
      {schedule.busy ? <Spinner size="tiny" label="Looking at calendars…" /> : null}
      {schedule.error ? <Notice intent="error">{schedule.error}</Notice> : null}
      {schedule.booked ? (
        <BookedNotice booked={schedule.booked} zone={zone}>
          <AppLink to={`/app/bookings/${schedule.booked._id}`}>Open the meeting</AppLink>
          <EmailedTo bookingId={schedule.booked._id} />
        </BookedNotice>
      ) : null}
      {schedule.rotation.booked ? (
        <Notice intent="success" title="Rotation booked">
          {schedule.rotation.booked.message} The invitations are on your calendar.{' '}
          {schedule.rotation.booked.bookings.map((b, i) => (
            <span key={b._id}>
              <AppLink to={`/app/bookings/${b._id}`}>
                Open time {'ABC'[i]} ({formatRange(b.start, b.end, zone)})
              </AppLink>{' '}
            </span>
          ))}
        </Notice>
      ) : null}
      {schedule.grid ? (
        <WeekGrid
          people={schedule.grid.people}
          window={schedule.grid.window}
          timeZone={zone}
          highlight={schedule.picked}
        />
      ) : null}
      {schedule.found ? (
        <div className="two-col">
          <div className="stack">
            <Subtitle1 as="h3">Best times</Subtitle1>
            <SlotList
              slots={schedule.found.slots}
              unknown={schedule.found.unknown}
              {...(schedule.found.leastBurdenNote
                ? { leastBurdenNote: schedule.found.leastBurdenNote }
                : {})}
              timeZone={zone}
              busy={schedule.busy}
              onPick={schedule.setPicked}
            />
          </div>
          {schedule.picked ? (
            <section aria-label="Book this time" className="stack">
              <Subtitle1 as="h3">
                Book {formatRange(schedule.picked.start, schedule.picked.end, zone)}
              </Subtitle1>
              <LinkTypeSelect
                value={form.link}
                onChange={form.setLink}
                problem={schedule.linkError}
              />
              <Field label="Notes for the invitation">
                <Textarea value={form.notes} onChange={(_, d) => form.setNotes(d.value)} />
              </Field>
              <Button appearance="primary" onClick={schedule.book} disabled={schedule.busy}>
                Book this time
              </Button>
            </section>
          ) : null}
        </div>
      ) : null}
      {schedule.rotation.plan ? (
        <RotationPlan
          plan={schedule.rotation.plan}
          zone={zone}
          busy={schedule.busy}
          onBook={() => void schedule.bookRotation()}
        >
          {schedule.picked ? null : (
            <LinkTypeSelect
              value={form.link}
              onChange={form.setLink}
              problem={schedule.linkError}
            />
          )}
        </RotationPlan>
      ) : null}
    </div>
  );
}
