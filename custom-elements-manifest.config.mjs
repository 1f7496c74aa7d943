// Builds custom-elements.json (`npm run manifest`): attributes, properties, methods, CSS parts and
// custom properties of <cec-chat> come from the element's class and its doc comment; its events
// come from the one map of host events (widget/core/host-events.ts), so their names and details
// are written once.
const HOST_EVENTS = 'widget/core/host-events.ts';

/** Reads `interface HostEvents` (names, detail types, doc comments) and lists them as the element's events. */
function hostEventsPlugin() {
  const events = [];
  return {
    name: 'cec-host-events',
    analyzePhase({ ts, node }) {
      if (!ts.isInterfaceDeclaration(node) || node.name.text !== 'HostEvents') return;
      for (const member of node.members) {
        if (!ts.isPropertySignature(member) || !member.type) continue;
        const name = member.name.getText().replace(/^'|'$/g, '');
        const detail = member.type.getText();
        const description = (member.jsDoc ?? [])
          .map((d) => (typeof d.comment === 'string' ? d.comment : ''))
          .join(' ')
          .trim();
        events.push({ name, type: { text: detail === 'undefined' ? 'Event' : `CustomEvent<${detail}>` }, description });
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules = customElementsManifest.modules.filter((m) => m.path !== HOST_EVENTS);
      for (const mod of customElementsManifest.modules) {
        for (const decl of mod.declarations ?? []) {
          if (!decl.customElement || decl.tagName !== 'cec-chat') continue;
          decl.events = events;
          // Internal reactive state (`state: true`) is not an attribute of the element.
          const internal = new Set((decl.members ?? []).filter((m) => m.privacy === 'private' || m.privacy === 'protected').map((m) => m.name));
          decl.attributes = (decl.attributes ?? []).filter((a) => !internal.has(a.fieldName));
        }
      }
    },
  };
}

// CEM_OUTDIR: where the staleness test writes a fresh copy (package.json is then left alone).
const outdir = process.env.CEM_OUTDIR;

export default {
  globs: ['widget/ui/chat/cec-chat.component.ts', HOST_EVENTS],
  outdir: outdir ?? '.',
  litelement: true,
  packagejson: !outdir,
  plugins: [hostEventsPlugin()],
};
