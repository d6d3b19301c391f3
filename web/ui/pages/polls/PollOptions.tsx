// The times a poll offers: one start per row (the poll's duration gives the end), two to twenty.
import { Button, Field, Input, Text, tokens } from '@fluentui/react-components';

/** The rows' starts (local date-times, as the inputs hold them) → slots the API takes. */
export function optionSlots(starts: string[], minutes: number) {
  return starts
    .filter((s) => s.trim())
    .map((s) => {
      const start = new Date(s);
      if (Number.isNaN(start.getTime())) throw new Error(`"${s}" is not a date and time.`);
      return {
        start: start.toISOString(),
        end: new Date(start.getTime() + minutes * 60_000).toISOString(),
      };
    });
}

export function PollOptions({
  starts,
  onChange,
  problem,
}: {
  starts: string[];
  onChange: (starts: string[]) => void;
  problem: string | undefined;
}) {
  return (
    <fieldset style={{ border: 'none', padding: 0, margin: 0 }} className="stack">
      <legend>Times to offer (at least two)</legend>
      {starts.map((s, i) => (
        <div className="row" key={i}>
          <Field label={`Time ${i + 1}`}>
            <Input
              type="datetime-local"
              value={s}
              onChange={(_, d) => onChange(starts.map((x, j) => (j === i ? d.value : x)))}
            />
          </Field>
          {starts.length > 2 ? (
            <Button
              aria-label={`Remove time ${i + 1}`}
              onClick={() => onChange(starts.filter((_, j) => j !== i))}
            >
              Remove
            </Button>
          ) : null}
        </div>
      ))}
      {problem ? (
        <Text role="alert" style={{ color: tokens.colorPaletteRedForeground1 }}>
          {problem}
        </Text>
      ) : null}
      <Button onClick={() => onChange([...starts, ''])} disabled={starts.length >= 20}>
        Add a time
      </Button>
    </fieldset>
  );
}
