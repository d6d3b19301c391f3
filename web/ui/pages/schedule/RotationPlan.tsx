// The rotation plan (core/assistant/rotation.ts) on the Schedule page: the times that take turns
// in the viewer's zone, each with every person's own clock; a table of each person's meetings
// outside working hours in this rotation and carried before; every meeting in order; and the
// button that books it. Core words the intro and each person's line; this only lays them out.
import { Button, Caption1, Subtitle1, Text } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { formatMoment, formatRange } from '../../../../infra/ui/time.ts';
import type { PersonTimeView } from '../../../../infra/ui/types.ts';

/** POST /api/rotations/plan */
export interface RotationView {
  intro: string;
  summary: string;
  oneTimeSuits: boolean;
  count: number;
  durationMinutes: number;
  times: Array<{
    label: string;
    start: string;
    end: string;
    firstWeek: number;
    everyWeeks: number;
    meetings: number;
    outside: string[];
    people: PersonTimeView[];
  }>;
  meetings: Array<{ index: number; time: string; start: string; end: string; outside: string[] }>;
  people: Array<{
    email: string;
    name: string;
    timeZone: string;
    outside: number;
    carriedBefore: number;
  }>;
  largest: number;
  singleTimeLargest: number;
  booking: { attendees: unknown[]; durationMinutes: number; count: number; starts: string[] };
}

const CELL = { padding: '4px 12px 4px 0' } as const;
const meetingsText = (n: number) => `${n} meeting${n === 1 ? '' : 's'}`;

function Times({ plan, zone }: { plan: RotationView; zone: string }) {
  return (
    <ol aria-label="Times taking turns" style={{ paddingLeft: 18, display: 'grid', gap: 8 }}>
      {plan.times.map((time) => (
        <li key={time.label}>
          <Text weight="semibold">
            Time {time.label}: {formatRange(time.start, time.end, zone)}
          </Text>{' '}
          <Text>
            — {meetingsText(time.meetings)}, every {time.everyWeeks} weeks
            {time.firstWeek > 0 ? `, from week ${time.firstWeek + 1}` : ', from week 1'}
          </Text>
          <ul aria-label={`Each person's time at time ${time.label}`} style={{ paddingLeft: 18 }}>
            {time.people.map((p) => (
              <li key={p.email} data-outside-minutes={p.minutesOutside}>
                <Text size={200} weight={p.minutesOutside > 0 ? 'semibold' : 'regular'}>
                  {p.text}
                </Text>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

function Burden({ plan }: { plan: RotationView }) {
  return (
    <table style={{ borderCollapse: 'collapse', textAlign: 'left' }}>
      <caption>
        <Text weight="semibold">Meetings outside working hours</Text>
      </caption>
      <thead>
        <tr>
          <th scope="col" style={CELL}>
            Person
          </th>
          <th scope="col" style={CELL}>
            In this rotation
          </th>
          <th scope="col" style={CELL}>
            In rotations booked before
          </th>
        </tr>
      </thead>
      <tbody>
        {plan.people.map((p) => (
          <tr key={p.email}>
            <th scope="row" style={CELL}>
              {p.name}
            </th>
            <td style={CELL}>{p.outside}</td>
            <td style={CELL}>{p.carriedBefore}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RotationPlan({
  plan,
  zone,
  busy,
  onBook,
  children,
}: {
  plan: RotationView;
  zone: string;
  busy: boolean;
  onBook: () => void;
  /** The booking's own fields (the meeting link), shown above the button. */
  children?: ReactNode;
}) {
  const names = new Map(plan.people.map((p) => [p.email, p.name]));
  return (
    <section aria-label="Rotation plan" className="stack">
      <Subtitle1 as="h3">Or take turns</Subtitle1>
      <Notice intent="info" title="A fair rotation">
        {plan.intro} {plan.summary}
      </Notice>
      <Times plan={plan} zone={zone} />
      <Burden plan={plan} />
      <details>
        <summary>Every meeting, in order</summary>
        <ol aria-label="Every meeting">
          {plan.meetings.map((m) => (
            <li key={m.index}>
              Time {m.time}, {formatMoment(m.start, zone)}
              {m.outside.length > 0
                ? ` — outside hours for ${m.outside.map((e) => names.get(e) ?? e).join(', ')}`
                : ' — inside everyone’s hours'}
            </li>
          ))}
        </ol>
      </details>
      <Caption1>Times in {zone}.</Caption1>
      {children}
      <div>
        <Button appearance="primary" onClick={onBook} disabled={busy}>
          Book this rotation
        </Button>
      </div>
    </section>
  );
}
