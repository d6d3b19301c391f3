// Settings: time zone, working hours per weekday, default meeting link, export or delete my data; for administrators the
// organization's meeting settings, people, API keys, and the audit log with its verification.
import { Title2 } from '@fluentui/react-components';
import { useSession } from '../../session.tsx';
import { ApiKeys } from './ApiKeys.tsx';
import { AuditLog } from './AuditLog.tsx';
import { MeetingSettings } from './MeetingSettings.tsx';
import { MyData } from './MyData.tsx';
import { MySettings } from './MySettings.tsx';
import { People } from './People.tsx';

export function SettingsPage() {
  const { user } = useSession();
  return (
    <div className="stack">
      <Title2 as="h2">Settings</Title2>
      <MySettings />
      <MyData />
      {user?.role === 'admin' ? (
        <>
          <MeetingSettings />
          <People />
          <ApiKeys />
          <AuditLog />
        </>
      ) : null}
    </div>
  );
}
