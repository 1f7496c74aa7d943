/**
 * A web-test-runner command for the browser tests: `executeServerCommand('ax-nodes', {role})`
 * answers the nodes of that role in Chromium's full accessibility tree (CDP
 * Accessibility.getFullAXTree, ignored nodes left out), each with its name and the id of its DOM
 * node: what a screen reader is given, and whether a node is the same one as before.
 */
export function axTreePlugin() {
  return {
    name: 'ax-nodes',
    async executeCommand({ command, payload, session }) {
      if (command !== 'ax-nodes') return undefined;
      const page = session.browser.getPage(session.id);
      const cdp = await page.createCDPSession();
      try {
        const { nodes } = await cdp.send('Accessibility.getFullAXTree');
        return nodes
          .filter((n) => !n.ignored && n.role?.value === payload.role)
          .map((n) => ({ name: n.name?.value ?? '', node: n.backendDOMNodeId, focused: !!n.properties?.find((p) => p.name === 'focused')?.value?.value }));
      } finally {
        await cdp.detach();
      }
    },
  };
}
