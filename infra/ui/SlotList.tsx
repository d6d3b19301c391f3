// Ranked meeting slots as buttons, in the viewer's time zone, with the attendees whose
// availability is unknown named (guests, calendars that could not be read). Shared by the web
// app's Schedule page, the Outlook task pane and the Zoom and Teams panels.
import { Button, Caption1, Text } from '@fluentui/react-components';
import { Notice } from './Notice.tsx';
import { formatRange, viewerTimeZone } from './time.ts';
import type { SlotView, UnknownAttendee } from './types.ts';

export interface SlotListProps {
  slots: SlotView[];
  unknown?: UnknownAttendee[];
  timeZone?: string;
  /** Called with the chosen slot; the list disables itself while `busy`. */
  onPick: (slot: SlotView) => void;
  busy?: boolean;
  pickLabel?: string;
}

export function SlotList({
  slots,
  unknown = [],
  timeZone,
  onPick,
  busy,
  pickLabel,
}: SlotListProps) {
  const zone = timeZone ?? viewerTimeZone();
  return (
    <section aria-label="Suggested times">
      {slots.length === 0 ? (
        <Notice intent="warning" title="No common time">
          Nobody is free together in that window. Try a longer window or a shorter meeting.
        </Notice>
      ) : (
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
              </li>
            );
          })}
        </ul>
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
