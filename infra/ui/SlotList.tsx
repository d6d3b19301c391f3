// Ranked meeting slots as buttons, in the viewer's time zone, each with every person's own clock
// and any time it asks of them outside working hours, and the attendees whose availability is
// unknown named (guests, calendars that could not be read). Shared by the web app's Schedule
// page, the Outlook task pane and the Zoom and Teams panels.
import { Button, Caption1, Text } from '@fluentui/react-components';
import { Notice } from './Notice.tsx';
import { formatRange, viewerTimeZone } from './time.ts';
import type { PersonTimeView, SlotView, UnknownAttendee } from './types.ts';

export interface SlotListProps {
  slots: SlotView[];
  unknown?: UnknownAttendee[];
  timeZone?: string;
  /** Called with the chosen slot; the list disables itself while `busy`. */
  onPick: (slot: SlotView) => void;
  busy?: boolean;
  pickLabel?: string;
  /** Set when the slots are least-burden times: what core says about them. */
  leastBurdenNote?: string;
}

/** Core words each line (local-times.ts); this only marks who is asked outside their hours. */
function PeopleTimes({ people }: { people: PersonTimeView[] }) {
  return (
    <ul aria-label="Each person's time" style={{ margin: '4px 0 0', paddingLeft: 18 }}>
      {people.map((p) => (
        <li key={p.email} data-outside-minutes={p.minutesOutside}>
          <Text size={200} weight={p.minutesOutside > 0 ? 'semibold' : 'regular'}>
            {p.text}
          </Text>
        </li>
      ))}
    </ul>
  );
}

export function SlotList({
  slots,
  unknown = [],
  timeZone,
  onPick,
  busy,
  pickLabel,
  leastBurdenNote,
}: SlotListProps) {
  const zone = timeZone ?? viewerTimeZone();
  return (
    <section aria-label="Suggested times">
      {slots.length === 0 ? (
        <Notice intent="warning" title="No common time">
          Nobody is free together in that window. Try a longer window or a shorter meeting.
        </Notice>
      ) : (
        <>
          {leastBurdenNote ? (
            <Notice intent="info" title="Least-burden times">
              {leastBurdenNote}
            </Notice>
          ) : null}
          <ul style={{ listStyle: 'none', padding: 0, display: 'grid', gap: 8 }}>
            {slots.map((slot) => {
              const label = formatRange(slot.start, slot.end, zone);
              return (
                <li key={slot.start}>
                  <Button
                    appearance="secondary"
                    disabled={busy}
                    onClick={() => onPick(slot)}
                    aria-label={`${pickLabel ?? 'Choose'} ${label}`}
                    data-slot-start={slot.start}
                  >
                    {label}
                  </Button>
                  {slot.people && slot.people.length > 0 ? (
                    <PeopleTimes people={slot.people} />
                  ) : null}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <Caption1>Times in {zone}.</Caption1>
      {unknown.length > 0 ? (
        <div aria-label="Availability unknown">
          <Text weight="semibold">Availability unknown for:</Text>
          <ul>
            {unknown.map((u) => (
              <li key={u.email}>
                {u.email} — {u.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
