// For administrators: the organization's meeting settings (engines and retention).
import { Button, Field, Input, Select, Subtitle1, Text } from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../../../infra/ui/api.ts';
import { Notice } from '../../../../infra/ui/Notice.tsx';
import { useApi } from '../../use-api.ts';

const ENGINE_NAMES: Record<string, string> = {
  pocketsphinx: 'PocketSphinx (offline, on this server)',
  'azure-speech': 'Azure Speech',
  'azure-whisper': 'Azure OpenAI Whisper',
  extractive: 'Extractive (local, deterministic)',
  'azure-openai': 'Azure OpenAI',
};

interface MeetingSettingsView {
  retentionDays: number;
  transcriptionEngine: string;
  recordingLimitMb: number;
}

export function MeetingSettings() {
  const settings = useApi<MeetingSettingsView>('/api/admin/settings');
  const engines = useApi<{ transcriptionEngines: string[]; summarizer: string }>(
    '/api/admin/meeting-engines',
  );
  const [form, setForm] = useState<MeetingSettingsView | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => setForm(settings.data), [settings.data]);
  if (!form) return settings.error ? <Notice intent="error">{settings.error}</Notice> : null;
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await api('/api/admin/settings', {
        method: 'PUT',
        body: {
          retentionDays: Number(form.retentionDays),
          transcriptionEngine: form.transcriptionEngine,
          recordingLimitMb: Number(form.recordingLimitMb),
        },
      });
      setStatus({ ok: true, text: 'Meeting settings saved.' });
    } catch (e) {
      setStatus({ ok: false, text: (e as Error).message });
    }
  };
  return (
    <form
      onSubmit={save}
      className="stack"
      aria-labelledby="org-meetings"
      style={{ maxWidth: 640 }}
    >
      <Subtitle1 as="h3" id="org-meetings">
        Meetings (organization)
      </Subtitle1>
      <div className="row">
        <Field label="Keep transcripts and summaries (days)">
          <Input
            type="number"
            min={1}
            max={365}
            value={String(form.retentionDays)}
            onChange={(_, d) => setForm({ ...form, retentionDays: Number(d.value) })}
          />
        </Field>
        <Field label="Transcription engine">
          <Select
            value={form.transcriptionEngine}
            onChange={(_, d) => setForm({ ...form, transcriptionEngine: d.value })}
          >
            {(engines.data?.transcriptionEngines ?? [form.transcriptionEngine]).map((e) => (
              <option key={e} value={e}>
                {ENGINE_NAMES[e] ?? e}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Largest recording (MiB)">
          <Input
            type="number"
            min={1}
            max={2048}
            value={String(form.recordingLimitMb)}
            onChange={(_, d) => setForm({ ...form, recordingLimitMb: Number(d.value) })}
          />
        </Field>
      </div>
      {engines.data ? (
        <Text>
          Summarizer: {ENGINE_NAMES[engines.data.summarizer] ?? engines.data.summarizer} (set by
          this deployment&apos;s configuration).
        </Text>
      ) : null}
      {status ? <Notice intent={status.ok ? 'success' : 'error'}>{status.text}</Notice> : null}
      <Button type="submit">Save meeting settings</Button>
    </form>
  );
}
