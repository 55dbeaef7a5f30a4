'use client';
import { updateNotificationsAction } from '@/lib/registries/actions';
import { listIssues } from '@/lib/registries/form-checks';
import { createConnectedRegistryInput } from '@/lib/registries/schemas';
import { StringListEditor } from './string-list-editor';

const pattern = createConnectedRegistryInput.shape.notifications.unwrap().element;

/** The notification patterns (artifact:action) the registry reports events for. */
export function NotificationsEditor({
  registry,
  name,
  notifications,
  canEdit,
}: {
  registry: string;
  name: string;
  notifications: string[];
  canEdit: boolean;
}) {
  return (
    <StringListEditor
      name="addNotifications"
      label="Notifications"
      items={notifications}
      placeholder="hello-world:1.0:push"
      emptyText="No notifications."
      hint="artifact:action, e.g. *:* or hello-world:1.0:delete; several separated by commas."
      check={(values) => listIssues(pattern, values)}
      onAdd={(add) => updateNotificationsAction(registry, name, { add })}
      onRemove={(value) => updateNotificationsAction(registry, name, { remove: [value] })}
      addField="addNotifications"
      canEdit={canEdit}
    />
  );
}
