/** Demo presets shared by the page and its server. */
export const DEMO_AUTO_AGENT = {
  account: 'bob',
  acceptAfterSeconds: 3,
  replies: ['Hi, this is Bob. How can I help you today?', 'Let me look into that for you.', 'All done. Is there anything else?'],
};
