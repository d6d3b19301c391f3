/// <reference types="office-js" />
// Event-based activation (OnAppointmentAttendeesChanged): when attendees change on a meeting
// being written, Outlook runs this without the pane. It tells the organizer that the times
// Quorum suggested may have changed; an open pane refreshes itself (RecipientsChanged).
export const ATTENDEES_CHANGED_HANDLER = 'onAppointmentAttendeesChanged';
export const NOTICE_KEY = 'quorum-attendees-changed';

function onAttendeesChanged(event: { completed: () => void }): void {
  const item = Office.context.mailbox.item as Office.AppointmentCompose | undefined;
  if (!item) {
    event.completed();
    return;
  }
  item.notificationMessages.replaceAsync(
    NOTICE_KEY,
    {
      type: Office.MailboxEnums.ItemNotificationMessageType.InformationalMessage,
      message: 'Attendees changed: open “Schedule with Quorum” for times that suit everyone.',
      icon: 'Icon.16x16',
      persistent: false,
    },
    () => event.completed(),
  );
}

void Office.onReady(() => {
  Office.actions.associate(ATTENDEES_CHANGED_HANDLER, onAttendeesChanged);
});
