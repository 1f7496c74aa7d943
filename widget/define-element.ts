/** `import 'cec-web-chat/define'`: registers `<cec-chat>` (the only module with a side effect). */
import { defineCecChat } from './ui/define.js';

defineCecChat();
