/**
 * The README's React 19 example as a running app: React 19 sets `authorization` as a property
 * (it exists on the element) and listens to `cec-*` events through `on<event-name>` props.
 */
import { defineCecChat } from 'cec-web-chat';
import { createRoot, type Root } from 'react-dom/client';

defineCecChat(); // registers <cec-chat> once, even if another copy already did

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'cec-chat': {
        'channel-id': string;
        'user-id'?: string;
        'user-name'?: string;
        locale?: string;
        authorization?: () => Promise<string>;
        'oncec-agent-joined'?: (e: CustomEvent<{ agentName?: string }>) => void;
        'oncec-message'?: (e: CustomEvent<{ author: string; text: string }>) => void;
      };
    }
  }
}

export interface SupportProps {
  channelId: string;
  user: { id: string; name: string };
  /** Asks your server for a channel signature (see `cec-web-chat/server`). */
  getSignature: () => Promise<string>;
  onMessage: (detail: { author: string; text: string }) => void;
}

export function Support({ channelId, user, getSignature, onMessage }: SupportProps) {
  return (
    <cec-chat
      channel-id={channelId}
      user-id={user.id}
      user-name={user.name}
      authorization={getSignature}
      oncec-agent-joined={(e) => console.log('agent joined', e.detail.agentName)}
      oncec-message={(e) => onMessage(e.detail)}
    />
  );
}

/** Mounts the example into `container`; returns the React root (unmount it to clean up). */
export function mountReactExample(container: HTMLElement, props: SupportProps): Root {
  const root = createRoot(container);
  root.render(<Support {...props} />);
  return root;
}
