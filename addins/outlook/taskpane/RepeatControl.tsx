// The pane's "repeat" control, like the web app's Schedule page: a single meeting, every week,
// every 2 weeks or monthly on an ordinal weekday ("the first Tuesday"), for a number of
// meetings. Times found are then first meetings whose every meeting works (core checks them).
import { Field, Input, Select } from '@fluentui/react-components';
import {
  MAX_COUNT,
  MIN_COUNT,
  ORDINAL_NAMES,
  WEEKDAY_CODES,
  WEEKDAY_NAMES,
  type Ordinal,
  type RepeatChoice,
  type RepeatKind,
  type WeekdayCode,
} from './repeat.ts';

export function RepeatControl({
  choice,
  onChange,
  onCountDone,
  disabled,
}: {
  choice: RepeatChoice;
  /** A new choice; with `searchNow` the pane searches again at once (not while typing). */
  onChange: (next: RepeatChoice, searchNow: boolean) => void;
  /** The number of meetings was edited and left: search again. */
  onCountDone: () => void;
  disabled: boolean;
}) {
  return (
    <>
      <Field label="Repeat">
        <Select
          value={choice.kind}
          disabled={disabled}
          onChange={(_e, d) => onChange({ ...choice, kind: d.value as RepeatKind }, true)}
        >
          <option value="none">Does not repeat</option>
          <option value="weekly">Every week</option>
          <option value="fortnightly">Every 2 weeks</option>
          <option value="monthly">Every month, on a weekday</option>
        </Select>
      </Field>
      {choice.kind === 'monthly' ? (
        <div style={{ display: 'flex', gap: 8 }}>
          <Field label="Week of the month">
            <Select
              value={String(choice.ordinal)}
              disabled={disabled}
              onChange={(_e, d) =>
                onChange({ ...choice, ordinal: Number(d.value) as Ordinal }, true)
              }
            >
              {['1', '2', '3', '4', '-1'].map((o) => (
                <option key={o} value={o}>
                  {ORDINAL_NAMES[o]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Day">
            <Select
              value={choice.weekday}
              disabled={disabled}
              onChange={(_e, d) => onChange({ ...choice, weekday: d.value as WeekdayCode }, true)}
            >
              {WEEKDAY_CODES.map((code) => (
                <option key={code} value={code}>
                  {WEEKDAY_NAMES[code]}
                </option>
              ))}
            </Select>
          </Field>
        </div>
      ) : null}
      {choice.kind === 'none' ? null : (
        <Field label="Meetings" hint={`How many, the first included (${MIN_COUNT}–${MAX_COUNT}).`}>
          <Input
            type="number"
            min={MIN_COUNT}
            max={MAX_COUNT}
            disabled={disabled}
            value={String(choice.count)}
            onChange={(_e, d) => onChange({ ...choice, count: Number(d.value) }, false)}
            onBlur={onCountDone}
          />
        </Field>
      )}
    </>
  );
}
