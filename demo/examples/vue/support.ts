/**
 * The README's Vue 3 example as a running app: `isCustomElement` tells Vue's compiler that
 * `<cec-chat>` is a web component, `.authorization` binds a property, `@cec-…` listens to events.
 * The template is compiled in the browser (the build aliases `vue` to Vue's full build).
 */
import { defineCecChat } from 'cec-web-chat';
import { type App, createApp } from 'vue';

defineCecChat();

export interface SupportProps {
  channelId: string;
  user: { id: string; name: string };
  /** Asks your server for a channel signature (see `cec-web-chat/server`). */
  getSignature: () => Promise<string>;
  onMessage: (detail: { author: string; text: string }) => void;
}

/** Mounts the example into `container`; returns the Vue app (unmount it to clean up). */
export function mountVueExample(container: HTMLElement, props: SupportProps): App {
  const app = createApp({
    setup: () => ({ ...props, onChatMessage: (e: CustomEvent<{ author: string; text: string }>) => props.onMessage(e.detail) }),
    template: `<cec-chat :channel-id="channelId" :user-id="user.id" :user-name="user.name" .authorization="getSignature"
                         @cec-message="onChatMessage" />`,
  });
  app.config.compilerOptions.isCustomElement = (tag: string) => tag === 'cec-chat';
  app.mount(container);
  return app;
}
